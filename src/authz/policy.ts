// Parses and validates IAM policy documents (identity policies of access keys, resource policies of
// secrets) into typed documents, or into the problems that make AWS answer MalformedPolicyDocumentException.
import { parseOperator } from "./conditions";
import type { ConditionClause, PolicyDocument, PolicyKind, PrincipalSet, Statement } from "./types";

/** One reason a document is malformed. */
export interface PolicyProblem {
  /** The MalformedPolicyDocumentException message, in AWS's wording (see MESSAGES). */
  message: string;
  /** A precise description naming the statement and element, for ValidateResourcePolicy and logs. */
  detail: string;
  /** The 0-based statement index, when the problem is inside one. */
  statement?: number;
}

export type ParseResult = { ok: true; policy: PolicyDocument } | { ok: false; problems: PolicyProblem[] };

/**
 * AWS wording. `syntax` ("This policy has invalid syntax.") and `principal` are Secrets Manager's own
 * recorded texts; the others are IAM's policy-grammar texts, which Secrets Manager's checks are assumed to share.
 */
export const MESSAGES = {
  syntax: "This policy has invalid syntax.",
  principal: "This resource policy contains an unsupported principal.",
  identityPrincipal: "Policy document should not specify a principal.",
  missingPrincipal: "Missing required field Principal",
  noActions: "Policy statement must contain actions.",
  noResources: "Policy statement must contain resources.",
  uniqueSids: "Statement IDs (SID) in a single policy must be unique.",
  vendor: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
  oneColon: "Actions/Condition can contain only one colon.",
  resourceFormat: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
} as const;

const TOP_LEVEL = new Set(["Version", "Id", "Statement"]);
const ELEMENTS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/[^*?]+|role\/[^*?]+)|arn:aws[a-z-]*:sts::\d{12}:(assumed-role\/[^/*?]+\/[^*?]+|federated-user\/[^*?]+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A string or a list of strings, as a list; undefined for any other shape. */
function strings(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

/** Parses a policy given as JSON text or as an already-parsed object (the ACCESS_KEYS `policy` field). */
export function parsePolicy(input: unknown, kind: PolicyKind): ParseResult {
  let doc = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch {
      return { ok: false, problems: [{ message: MESSAGES.syntax, detail: "The policy is not valid JSON." }] };
    }
  }
  if (!isObject(doc)) return { ok: false, problems: [{ message: MESSAGES.syntax, detail: "The policy must be a JSON object." }] };
  const problems: PolicyProblem[] = [];
  const fail = (message: string, detail: string, statement?: number) => problems.push({ message, detail, statement });
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) fail(MESSAGES.syntax, `Unknown policy element "${key}".`);
  if (doc.Version !== undefined && !VERSIONS.has(doc.Version as string)) {
    fail(MESSAGES.syntax, `Version must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(doc.Version)}.`);
  }
  if (doc.Id !== undefined && typeof doc.Id !== "string") fail(MESSAGES.syntax, "Id must be a string.");
  const raw = isObject(doc.Statement) ? [doc.Statement] : doc.Statement;
  if (!Array.isArray(raw) || raw.length === 0) {
    fail(MESSAGES.syntax, "Statement must be a statement object or a non-empty list of them.");
    return { ok: false, problems };
  }
  const statements: Statement[] = [];
  raw.forEach((entry, index) => {
    const statement = parseStatement(entry, index, kind, (message, detail) => fail(message, detail, index));
    if (statement) statements.push(statement);
  });
  const sids = statements.map((s) => s.sid).filter((sid) => sid);
  const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
  if (duplicate) fail(MESSAGES.uniqueSids, `Sid "${duplicate}" is used by more than one statement.`);
  if (problems.length) return { ok: false, problems };
  const version = (doc.Version as PolicyDocument["version"] | undefined) ?? "2008-10-17";
  return { ok: true, policy: { version, id: doc.Id as string | undefined, statements } };
}

type Fail = (message: string, detail: string) => void;

function parseStatement(entry: unknown, index: number, kind: PolicyKind, fail: Fail): Statement | undefined {
  const where = `Statement ${index}`;
  if (!isObject(entry)) {
    fail(MESSAGES.syntax, `${where} must be an object.`);
    return undefined;
  }
  const local = counting(fail);
  const s = entry;
  const at = `${where}${typeof s.Sid === "string" && s.Sid ? ` (Sid "${s.Sid}")` : ""}`;
  for (const key of Object.keys(s)) if (!ELEMENTS.has(key)) local.fail(MESSAGES.syntax, `${at}: unknown element "${key}".`);
  if (s.Sid !== undefined && typeof s.Sid !== "string") local.fail(MESSAGES.syntax, `${at}: Sid must be a string.`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") {
    const got = s.Effect === undefined ? "it is missing" : `got ${JSON.stringify(s.Effect)}`;
    local.fail(MESSAGES.syntax, `${at}: Effect must be "Allow" or "Deny"; ${got}.`);
  }
  const actions = pair(s, "Action", "NotAction", at, local.fail, MESSAGES.noActions);
  const resources = pair(s, "Resource", "NotResource", at, local.fail, MESSAGES.noResources);
  for (const action of [...(actions.list ?? []), ...(actions.notList ?? [])]) checkAction(action, at, local.fail);
  for (const resource of [...(resources.list ?? []), ...(resources.notList ?? [])]) {
    if (resource !== "*" && !resource.startsWith("arn:")) local.fail(MESSAGES.resourceFormat(resource), `${at}: ${MESSAGES.resourceFormat(resource)}`);
  }
  const principal = s.Principal === undefined ? undefined : parsePrincipal(s.Principal, `${at}: Principal`, local.fail);
  const notPrincipal = s.NotPrincipal === undefined ? undefined : parsePrincipal(s.NotPrincipal, `${at}: NotPrincipal`, local.fail);
  const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (kind === "identity" && hasPrincipal) local.fail(MESSAGES.identityPrincipal, `${at}: an identity policy cannot name a Principal.`);
  if (kind === "resource" && !hasPrincipal) local.fail(MESSAGES.missingPrincipal, `${at}: a resource policy statement needs a Principal.`);
  if (s.Principal !== undefined && s.NotPrincipal !== undefined) {
    local.fail(MESSAGES.syntax, `${at}: Principal and NotPrincipal cannot be used together.`);
  }
  const conditions = s.Condition === undefined ? [] : parseConditions(s.Condition, at, local.fail);
  if (local.count()) return undefined;
  return {
    index,
    sid: (s.Sid as string | undefined) || undefined,
    effect: s.Effect as Statement["effect"],
    actions: actions.list,
    notActions: actions.notList,
    resources: resources.list,
    notResources: resources.notList,
    principal,
    notPrincipal,
    conditions,
  };
}

function counting(fail: Fail) {
  let n = 0;
  return {
    fail: (message: string, detail: string) => {
      n++;
      fail(message, detail);
    },
    count: () => n,
  };
}

/** Action/NotAction or Resource/NotResource: exactly one of the two, a non-empty string list. */
function pair(s: Record<string, unknown>, name: string, notName: string, at: string, fail: Fail, missing: string) {
  const read = (key: string) => {
    if (s[key] === undefined) return undefined;
    const list = strings(s[key]);
    if (!list) fail(MESSAGES.syntax, `${at}: ${key} must be a string or a list of strings.`);
    else if (list.length === 0) fail(missing, `${at}: ${key} must not be empty.`);
    return list;
  };
  const list = read(name);
  const notList = read(notName);
  if (s[name] === undefined && s[notName] === undefined) fail(missing, `${at}: ${name} or ${notName} is required.`);
  if (s[name] !== undefined && s[notName] !== undefined) fail(MESSAGES.syntax, `${at}: ${name} and ${notName} cannot be used together.`);
  return { list, notList };
}

function checkAction(action: string, at: string, fail: Fail): void {
  if (action === "*") return;
  const parts = action.split(":");
  if (parts.length === 1) fail(MESSAGES.vendor, `${at}: action "${action}" needs a service prefix, e.g. secretsmanager:GetSecretValue.`);
  else if (parts.length > 2) fail(MESSAGES.oneColon, `${at}: action "${action}" has more than one colon.`);
  else if (parts[0] !== "*" && !/^[a-zA-Z0-9.-]+$/.test(parts[0]!)) fail(`Vendor ${parts[0]} is not valid`, `${at}: action "${action}" has an invalid service prefix.`);
}

function parsePrincipal(value: unknown, at: string, fail: Fail): PrincipalSet | undefined {
  if (value === "*") return { anyone: true, aws: [], service: [] };
  if (!isObject(value) || Object.keys(value).length === 0) {
    fail(MESSAGES.principal, `${at} must be "*" or an object such as {"AWS": "<account id or ARN>"}.`);
    return undefined;
  }
  const set: PrincipalSet = { anyone: false, aws: [], service: [] };
  for (const [type, raw] of Object.entries(value)) {
    const list = strings(raw);
    if (type !== "AWS" && type !== "Service") fail(MESSAGES.principal, `${at}: principal type "${type}" is not supported; use AWS or Service.`);
    else if (!list || list.length === 0) fail(MESSAGES.principal, `${at}: ${type} must be a string or a non-empty list of strings.`);
    else if (type === "Service") {
      for (const bad of list.filter((v) => !SERVICE_PRINCIPAL.test(v))) fail(MESSAGES.principal, `${at}: "${bad}" is not a service principal.`);
      set.service.push(...list);
    } else {
      for (const bad of list.filter((v) => !AWS_PRINCIPAL.test(v))) {
        fail(MESSAGES.principal, `${at}: "${bad}" is not "*", an account id, or an IAM user, role, root or session ARN.`);
      }
      set.anyone ||= list.includes("*");
      set.aws.push(...list.filter((v) => v !== "*"));
    }
  }
  return set;
}

function parseConditions(value: unknown, at: string, fail: Fail): ConditionClause[] {
  if (!isObject(value)) {
    fail(MESSAGES.syntax, `${at}: Condition must be an object.`);
    return [];
  }
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const parsed = parseOperator(operator);
    if (!parsed) fail(MESSAGES.syntax, `${at}: unknown condition operator "${operator}".`);
    if (!isObject(block)) {
      fail(MESSAGES.syntax, `${at}: Condition "${operator}" must map condition keys to values.`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const list = (Array.isArray(raw) ? raw : [raw]) as unknown[];
      if (!list.every((v) => ["string", "number", "boolean"].includes(typeof v))) {
        fail(MESSAGES.syntax, `${at}: the values of "${operator}" "${key}" must be strings, numbers or booleans.`);
      } else if (!/^[^:]+:.+$/.test(key)) {
        fail(MESSAGES.vendor, `${at}: condition key "${key}" needs a prefix such as aws: or secretsmanager:.`);
      } else if (parsed) {
        clauses.push({ operator, ...parsed, key, values: list.map(String) });
      }
    }
  }
  return clauses;
}
