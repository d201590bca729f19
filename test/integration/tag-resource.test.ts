// TagResource through the Worker: insertion order, overwrites, the 50-tag limit and reserved keys
// (reference/aws-behaviour.md §4, E56).
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { sm } from "../support/sm";

const tagsOf = async (secretId: string) => (await sm("DescribeSecret", { SecretId: secretId })).body.Tags;
const numbered = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Key: `key${from + i}`, Value: `value${from + i}` }));

describe("TagResource", () => {
  it("returns an empty body and adds tags in insertion order", async () => {
    const name = uniqueName("tag");
    await createSecret(name);
    const res = await sm("TagResource", { SecretId: name, Tags: [{ Key: "tag1", Value: "value1" }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "1" }] });
    expect(await tagsOf(name)).toEqual([
      { Key: "tag1", Value: "value1" },
      { Key: "b", Value: "2" },
      { Key: "a", Value: "1" },
    ]);
  });

  it("tagging an existing key overwrites its value", async () => {
    const name = uniqueName("tag");
    await createSecret(name);
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "env", Value: "dev" }, { Key: "team", Value: "a" }] });
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "env", Value: "prod" }] });
    const tags = await tagsOf(name);
    expect(tags).toHaveLength(2);
    expect(tags).toEqual(expect.arrayContaining([{ Key: "env", Value: "prod" }, { Key: "team", Value: "a" }]));
  });

  it("accepts an empty tag value", async () => {
    const name = uniqueName("tag");
    await createSecret(name);
    expect((await sm("TagResource", { SecretId: name, Tags: [{ Key: "flag", Value: "" }] })).status).toBe(200);
    expect(await tagsOf(name)).toEqual([{ Key: "flag", Value: "" }]);
  });

  it("resolves by full and partial ARN", async () => {
    const name = uniqueName("tag");
    const created = await createSecret(name);
    await sm("TagResource", { SecretId: created.ARN, Tags: [{ Key: "a", Value: "1" }] });
    await sm("TagResource", { SecretId: created.ARN.slice(0, -7), Tags: [{ Key: "b", Value: "2" }] });
    expect(await tagsOf(name)).toEqual([{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }]);
  });

  describe("limits", () => {
    it("a secret may hold 50 tags; a 51st returns InvalidParameterException and changes nothing", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      expect((await sm("TagResource", { SecretId: name, Tags: numbered(0, 30) })).status).toBe(200);
      expect((await sm("TagResource", { SecretId: name, Tags: numbered(30, 20) })).status).toBe(200);
      const res = await sm("TagResource", { SecretId: name, Tags: numbered(50, 1) });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      expect(await tagsOf(name)).toHaveLength(50);
    });

    it("overwriting a key on a secret with 50 tags is allowed", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      await sm("TagResource", { SecretId: name, Tags: numbered(0, 50) });
      const res = await sm("TagResource", { SecretId: name, Tags: [{ Key: "key7", Value: "new" }] });
      expect(res.status).toBe(200);
      expect(await tagsOf(name)).toContainEqual({ Key: "key7", Value: "new" });
    });

    it("51 tags in one request return InvalidParameterException", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      const res = await sm("TagResource", { SecretId: name, Tags: numbered(0, 51) });
      expect(res.status).toBe(400);
      expect(res.body.__type).toBe("InvalidParameterException");
      expect(await sm("DescribeSecret", { SecretId: name }).then((r) => r.body)).not.toHaveProperty("Tags");
    });

    it("a key starting with aws: returns InvalidParameterException", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      for (const Key of ["aws:owner", "AWS:owner"]) {
        const res = await sm("TagResource", { SecretId: name, Tags: [{ Key, Value: "x" }] });
        expect(res.status).toBe(400);
        expect(res.body.__type).toBe("InvalidParameterException");
      }
    });

    it("a key longer than 128 or a value longer than 256 characters returns ValidationException", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      for (const tag of [{ Key: "k".repeat(129), Value: "v" }, { Key: "k", Value: "v".repeat(257) }]) {
        const res = await sm("TagResource", { SecretId: name, Tags: [tag] });
        expect(res.status).toBe(400);
        expect(res.body.__type).toBe("ValidationException");
      }
    });
  });

  describe("errors", () => {
    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("TagResource", { SecretId: uniqueName("missing"), Tags: [{ Key: "k", Value: "v" }] });
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("TagResource on a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("TagResource", { SecretId: name, Tags: [{ Key: "k", Value: "v" }] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
    });

    it("missing Tags returns ValidationException", async () => {
      const name = uniqueName("tag");
      await createSecret(name);
      const res = await sm("TagResource", { SecretId: name });
      expect(res.body).toEqual({
        __type: "ValidationException",
        Message: "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
      });
    });
  });
});
