// Authorization end to end with the stock AWS SDK v3 client, against a local server of its own started with
// ACCESS_KEYS (and KMS_KEYS) in its environment, as README "Authorization" describes: a key limited by a tag-based
// policy reads only the secrets with that tag; a resource policy grants a second account read access by ARN;
// BlockPublicPolicy refuses a public policy; the four policy operations round-trip.
import { randomBytes } from "node:crypto";
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PublicPolicyException,
  PutResourcePolicyCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  ValidateResourcePolicyCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, REGION, uniqueName } from "./client";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const ACCOUNT = "111122223333";
const PARTNER_ACCOUNT = "444455556666";
const V = "2012-10-17";

const KEYS = {
  admin: { accessKeyId: "AKIDE2EADMIN", secretAccessKey: "e2e-admin-secret" },
  blue: { accessKeyId: "AKIDE2EBLUE", secretAccessKey: "e2e-blue-secret" },
  partner: { accessKeyId: "AKIDE2EPARTNER", secretAccessKey: "e2e-partner-secret" },
};

/** The ACCESS_KEYS of this server: an administrator (no policy), a tag-limited reader and another account's reader. */
const ACCESS_KEYS = [
  { ...KEYS.admin, accountId: ACCOUNT },
  {
    ...KEYS.blue,
    accountId: ACCOUNT,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/blue-reader`,
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecrets"],
          Resource: "*",
          Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "blue" } },
        },
      ],
    },
  },
  {
    ...KEYS.partner,
    accountId: PARTNER_ACCOUNT,
    principalArn: `arn:aws:iam::${PARTNER_ACCOUNT}:user/reader`,
    policy: { Version: V, Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] },
  },
];

/** A key ring with a customer key besides the default: another account may not read default-key secrets (E60). */
const KMS_KEYS = {
  "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } },
  "alias/shared": { current: "1", versions: { "1": randomBytes(32).toString("base64") } },
};

let server: LocalServer;
let stateDir: string;
const clients = {} as Record<keyof typeof KEYS, SecretsManagerClient>;

beforeAll(async () => {
  stateDir = freshStateDir();
  server = await startServer({ stateDir, env: { ACCESS_KEYS: JSON.stringify(ACCESS_KEYS), KMS_KEYS: JSON.stringify(KMS_KEYS) } });
  for (const [role, credentials] of Object.entries(KEYS)) {
    clients[role as keyof typeof KEYS] = new SecretsManagerClient({ endpoint: server.endpoint, region: REGION, credentials });
  }
});

afterAll(async () => {
  await server?.stop();
  if (stateDir) removeStateDir(stateDir);
});

const policyText = (...statements: object[]) => JSON.stringify({ Version: V, Statement: statements });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createSecret(name: string, value: string, extra: { team?: string; kmsKeyId?: string } = {}) {
  return clients.admin.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: value,
      KmsKeyId: extra.kmsKeyId,
      Tags: extra.team ? [{ Key: "team", Value: extra.team }] : undefined,
    }),
  );
}

describe("a key limited by a tag-based identity policy", () => {
  it("reads only the secrets tagged team=blue, and is told AccessDeniedException for the others", async () => {
    const prefix = uniqueName("authz-tags");
    await createSecret(`${prefix}/blue`, "blue-value", { team: "blue" });
    await createSecret(`${prefix}/red`, "red-value", { team: "red" });
    await createSecret(`${prefix}/untagged`, "untagged-value");

    const got = await clients.blue.send(new GetSecretValueCommand({ SecretId: `${prefix}/blue` }));
    expect(got.SecretString).toBe("blue-value");
    for (const other of ["red", "untagged", "missing"]) {
      const error = await failure(clients.blue.send(new GetSecretValueCommand({ SecretId: `${prefix}/${other}` })));
      expect(error.name).toBe("AccessDeniedException");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `User: arn:aws:iam::${ACCOUNT}:user/blue-reader is not authorized to perform: secretsmanager:GetSecretValue on resource: ${prefix}/${other} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      );
    }
    // A permitted caller learns that the missing one does not exist; the tag-limited one did not.
    expect(await failure(clients.admin.send(new GetSecretValueCommand({ SecretId: `${prefix}/missing` })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it("lists only the secrets tagged team=blue", async () => {
    const prefix = uniqueName("authz-list");
    await createSecret(`${prefix}/a`, "a", { team: "blue" });
    await createSecret(`${prefix}/b`, "b", { team: "red" });
    await createSecret(`${prefix}/c`, "c", { team: "blue" });
    const filters = [{ Key: "name" as const, Values: [`${prefix}/`] }];
    // ListSecrets is eventually consistent: wait until the administrator sees all three.
    for (let i = 0; i < 100; i++) {
      const all = await clients.admin.send(new ListSecretsCommand({ Filters: filters }));
      if (all.SecretList?.length === 3) break;
      await sleep(100);
    }
    const listed = await clients.blue.send(new ListSecretsCommand({ Filters: filters }));
    expect(listed.SecretList?.map((s) => s.Name)).toEqual([`${prefix}/a`, `${prefix}/c`]);
  });
});

describe("a resource policy grants a second account read access by ARN", () => {
  it("the other account reads by ARN once the policy allows it, and only then", async () => {
    const name = uniqueName("authz-shared");
    const created = await createSecret(name, "shared-value", { kmsKeyId: "alias/shared" });
    const before = await failure(clients.partner.send(new GetSecretValueCommand({ SecretId: created.ARN })));
    expect(before.name).toBe("AccessDeniedException");
    expect(before.message).toContain("because no resource-based policy allows the secretsmanager:GetSecretValue action");

    await clients.admin.send(
      new PutResourcePolicyCommand({
        SecretId: name,
        ResourcePolicy: policyText({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: "secretsmanager:GetSecretValue", Resource: "*" }),
      }),
    );
    const read = await clients.partner.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(read).toMatchObject({ ARN: created.ARN, Name: name, SecretString: "shared-value" });
    // By name the partner looks in its own account, where there is no such secret.
    expect(await failure(clients.partner.send(new GetSecretValueCommand({ SecretId: name })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it("a secret under the default key stays unreadable from another account (E60)", async () => {
    const name = uniqueName("authz-default-key");
    const created = await createSecret(name, "v");
    await clients.admin.send(
      new PutResourcePolicyCommand({
        SecretId: name,
        ResourcePolicy: policyText({ Effect: "Allow", Principal: { AWS: PARTNER_ACCOUNT }, Action: "secretsmanager:*", Resource: "*" }),
      }),
    );
    const error = await failure(clients.partner.send(new GetSecretValueCommand({ SecretId: created.ARN })));
    expect(error.name).toBe("InvalidRequestException");
    expect(error.message).toBe("You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.");
  });
});

describe("BlockPublicPolicy", () => {
  it("refuses a policy that grants every principal access, and keeps the policy in place", async () => {
    const name = uniqueName("authz-public");
    await createSecret(name, "v");
    const accountOnly = policyText({ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:GetSecretValue", Resource: "*" });
    await clients.admin.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: accountOnly, BlockPublicPolicy: true }));
    const open = policyText({ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" });
    const error = await failure(clients.admin.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: open, BlockPublicPolicy: true })));
    expect(error).toBeInstanceOf(PublicPolicyException);
    expect(error.message).toBe("You can't attach a resource-based policy that allows broad access to the secret.");
    expect((await clients.admin.send(new GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy).toBe(accountOnly);
  });
});

describe("the four policy operations", () => {
  it("round-trip: Validate, Put, Get (the exact text), Delete, Get (no policy)", async () => {
    const name = uniqueName("authz-roundtrip");
    const created = await createSecret(name, "v");
    const document = `{\n  "Version": "${V}",\n  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "${PARTNER_ACCOUNT}"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]\n}`;

    const validated = await clients.admin.send(new ValidateResourcePolicyCommand({ SecretId: name, ResourcePolicy: document }));
    expect(validated.PolicyValidationPassed).toBe(true);
    expect(validated.ValidationErrors ?? []).toEqual([]);
    const broad = await clients.admin.send(
      new ValidateResourcePolicyCommand({ ResourcePolicy: policyText({ Effect: "Allow", Principal: "*", Action: "secretsmanager:*", Resource: "*" }) }),
    );
    expect(broad.PolicyValidationPassed).toBe(false);
    expect(broad.ValidationErrors?.length).toBe(1);

    const put = await clients.admin.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: document }));
    expect({ ARN: put.ARN, Name: put.Name }).toEqual({ ARN: created.ARN, Name: name });
    const got = await clients.admin.send(new GetResourcePolicyCommand({ SecretId: created.ARN }));
    expect({ ARN: got.ARN, Name: got.Name, ResourcePolicy: got.ResourcePolicy }).toEqual({ ARN: created.ARN, Name: name, ResourcePolicy: document });

    const deleted = await clients.admin.send(new DeleteResourcePolicyCommand({ SecretId: name }));
    expect({ ARN: deleted.ARN, Name: deleted.Name }).toEqual({ ARN: created.ARN, Name: name });
    const after = await clients.admin.send(new GetResourcePolicyCommand({ SecretId: name }));
    expect(after.ResourcePolicy).toBeUndefined();
    expect(after.ARN).toBe(created.ARN);
  });
});
