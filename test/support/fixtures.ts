// Fixtures shared by the in-runtime tests (test/integration, test/durable-object): unique secret names, secrets
// and versions made through the Worker (each call asserting HTTP 200), staging labels compared as sets, a secret's
// Durable Object, and waits for the D1 index, which each object's outbox writes after the response.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { D1Entry } from "../../src/outbox/d1-writer";
import type { SecretObject } from "../../src/secret-object/secret-object";
import { type SmOptions, sm, token } from "./sm";

// The account of the default test access key (AKIDTESTLOCAL) and sm()'s default region.
const DEFAULT_ACCOUNT = "111122223333";
const DEFAULT_REGION = "us-east-1";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A secret name no other test uses: `${prefix}-` and 8 random hex digits. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A region of the test's own (the model's RegionType shape), for tests that list or search a whole region: the D1
 * index is shared by a file's tests, so a list in this region sees only the test's own secrets.
 */
export function isolatedRegion(): string {
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => String.fromCharCode(97 + (b % 26))).join("");
  return `zz-${letters}-1`;
}

/** Where a secret lives: its account (default 111122223333, the default access key's) and region (default us-east-1). */
export interface SecretPlace {
  account?: string;
  region?: string;
}

/** The CreateSecret response; VersionId is absent when the secret was created without a value. */
export interface CreatedSecret {
  ARN: string;
  Name: string;
  VersionId: string;
}

/**
 * CreateSecret `name` with SecretString `value` (null: no SecretString) and a fresh ClientRequestToken; `fields`
 * add to or replace those members, `options` go to sm() (region, accessKeyId, …). Asserts HTTP 200 and returns the body.
 */
export async function createSecret(
  name: string,
  value: string | null = "v1",
  fields: Record<string, unknown> = {},
  options: SmOptions = {},
): Promise<CreatedSecret> {
  const res = await sm("CreateSecret", { Name: name, SecretString: value ?? undefined, ClientRequestToken: token(), ...fields }, options);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A secret created as createSecret() does, under uniqueName(prefix). */
export interface UniqueSecret {
  name: string;
  arn: string;
  versionId: string;
}

/** createSecret() under a fresh uniqueName(prefix); returns the name, ARN and VersionId. */
export async function createUniqueSecret(
  prefix: string,
  value: string | null = "v1",
  fields: Record<string, unknown> = {},
  options: SmOptions = {},
): Promise<UniqueSecret> {
  const name = uniqueName(prefix);
  const created = await createSecret(name, value, fields, options);
  return { name, arn: created.ARN, versionId: created.VersionId };
}

/** The PutSecretValue response. */
export interface PutValueResult {
  ARN: string;
  Name: string;
  VersionId: string;
  VersionStages: string[];
}

/**
 * PutSecretValue SecretString `value` with a fresh ClientRequestToken and, when given, VersionStages `stages`;
 * `options` go to sm(). Asserts HTTP 200 and returns the body.
 */
export async function putValue(secretId: string, value: string, stages?: string[], options: SmOptions = {}): Promise<PutValueResult> {
  const res = await sm("PutSecretValue", { SecretId: secretId, SecretString: value, ClientRequestToken: token(), VersionStages: stages }, options);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A copy of `labels` in sorted order: staging-label lists are compared as sets. */
export const sortedLabels = (labels: readonly string[]): string[] => [...labels].sort();

/**
 * ListSecretVersionIds (with IncludeDeprecated when asked) lists exactly the `expected` versions, each with these
 * labels in any order; null expects a version listed without a VersionStages key.
 */
export async function expectVersions(
  secretId: string,
  expected: Record<string, string[] | null>,
  { includeDeprecated }: { includeDeprecated?: boolean } = {},
): Promise<void> {
  const res = await sm("ListSecretVersionIds", { SecretId: secretId, IncludeDeprecated: includeDeprecated });
  expect(res.status).toBe(200);
  const versions = res.body.Versions as { VersionId: string; VersionStages?: string[] }[];
  const actual = Object.fromEntries(versions.map((v) => [v.VersionId, v.VersionStages ? sortedLabels(v.VersionStages) : null]));
  expect(versions).toHaveLength(Object.keys(expected).length);
  expect(actual).toEqual(Object.fromEntries(Object.entries(expected).map(([id, labels]) => [id, labels && sortedLabels(labels)])));
}

/** The stub of the Durable Object that holds secret `name` (objects are named account/region/name). */
export function secretStub(name: string, { account = DEFAULT_ACCOUNT, region = DEFAULT_REGION }: SecretPlace = {}) {
  return env.SECRETS.get(env.SECRETS.idFromName(`${account}/${region}/${name}`));
}

/** The VersionIds the object of secret `name` stores, in commit order (read from its own `versions` table). */
export async function storedVersionIds(name: string, place: SecretPlace = {}): Promise<string[]> {
  return runInDurableObject(secretStub(name, place), (_instance, state) =>
    state.storage.sql.exec("SELECT version_id FROM versions ORDER BY seq").toArray().map((r) => r.version_id as string),
  );
}

/** A row of the D1 `secrets` table (migrations/), as SELECT * returns it. */
export interface SecretsTableRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  kms_key_id: string | null;
  type: string | null;
  created_at: number;
  last_changed_at: number;
  last_accessed_at: number | null;
  deleted_at: number | null;
  deletion_at: number | null;
  primary_region: string | null;
  owning_service: string | null;
  tags_json: string;
  tags_set: number;
  versions_to_stages_json: string;
  words_version: number;
  revision: number;
}

/** The D1 index row of `arn`, or null. */
export function readIndexRow(arn: string): Promise<SecretsTableRow | null> {
  return env.DB.prepare("SELECT * FROM secrets WHERE arn = ?").bind(arn).first<SecretsTableRow>();
}

/** Polls the index row of `arn` (the outbox writes it after the response) until `until` holds or ~2 s pass; returns the last row read. */
export async function waitForIndexRow(arn: string, until: (row: SecretsTableRow | null) => boolean): Promise<SecretsTableRow | null> {
  let row = await readIndexRow(arn);
  for (let i = 0; i < 100 && !until(row); i++) {
    await sleep(20);
    row = await readIndexRow(arn);
  }
  return row;
}

/** Waits until the objects of these secrets have delivered their outboxes, so their index updates have reached D1. */
export async function waitUntilIndexed(names: string | readonly string[], place: SecretPlace = {}): Promise<void> {
  await Promise.all(
    (typeof names === "string" ? [names] : names).map(async (name) => {
      const stub = secretStub(name, place);
      for (let i = 0; i < 200; i++) {
        const pending = await runInDurableObject(stub, async (o) => (await (o as unknown as SecretObject).indexSnapshot()).pending);
        if (pending === 0) return;
        await sleep(10);
      }
      throw new Error(`index updates of ${name} are still pending`);
    }),
  );
}

// The object's own view of its environment: tests swap its D1_WRITER binding to make its D1 writes fail.
interface ObjectWithEnv {
  env: Cloudflare.Env;
  realEnv?: Cloudflare.Env;
}

/** The object's D1_WRITER binding with each apply() (one delivery of the object's D1 entries) passed through `apply`. */
function writerThrough(real: Cloudflare.Env, apply: (send: () => Promise<void>) => Promise<void>): Cloudflare.Env["D1_WRITER"] {
  return {
    idFromName: (name: string) => real.D1_WRITER.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = real.D1_WRITER.get(id);
      return { apply: (entries: D1Entry[], bytes?: number) => apply(() => stub.apply(entries, bytes)) };
    },
  } as unknown as Cloudflare.Env["D1_WRITER"];
}

/** Makes the D1 writes (index and audit records) of secret `name`'s object fail until restoreIndexWrites(). */
export async function breakIndexWrites(name: string, place: SecretPlace = {}): Promise<void> {
  await runInDurableObject(secretStub(name, place), (instance) => {
    const self = instance as unknown as ObjectWithEnv;
    const real = self.env;
    self.realEnv = real;
    self.env = { ...real, D1_WRITER: writerThrough(real, () => Promise.reject(new Error("D1_ERROR: injected outage"))) };
  });
}

/** Makes each D1 delivery (index and audit records) of secret `name`'s object take `ms` longer, until restoreIndexWrites(). */
export async function slowIndexWrites(name: string, ms: number, place: SecretPlace = {}): Promise<void> {
  await runInDurableObject(secretStub(name, place), (instance) => {
    const self = instance as unknown as ObjectWithEnv;
    const real = self.env;
    self.realEnv = real;
    self.env = { ...real, D1_WRITER: writerThrough(real, (send) => new Promise((resolve) => setTimeout(resolve, ms)).then(send)) };
  });
}

/** Counts the D1 deliveries (index writes) of secret `name`'s object from now on; read the count with the returned function. */
export async function countIndexWrites(name: string, place: SecretPlace = {}): Promise<() => Promise<number>> {
  const stub = secretStub(name, place);
  await runInDurableObject(stub, (instance) => {
    const self = instance as unknown as ObjectWithEnv & { indexWrites?: number };
    const real = self.env;
    self.indexWrites = 0;
    self.realEnv = real;
    self.env = {
      ...real,
      D1_WRITER: writerThrough(real, (send) => {
        self.indexWrites! += 1;
        return send();
      }),
    };
  });
  return () => runInDurableObject(stub, (instance) => (instance as unknown as { indexWrites: number }).indexWrites);
}

/** Gives the object its real DB binding back; with loseAlarm, deletes its retry alarm in the same step, as if it were lost. */
export async function restoreIndexWrites(name: string, { loseAlarm = false }: { loseAlarm?: boolean } = {}, place: SecretPlace = {}): Promise<void> {
  await runInDurableObject(secretStub(name, place), async (instance, state) => {
    const self = instance as unknown as ObjectWithEnv;
    self.env = self.realEnv!;
    if (loseAlarm) await state.storage.deleteAlarm();
  });
}
