// UntagResource through the Worker: removal by key, order of what remains, absent keys, and "Tags": [] once
// everything is removed (reference/aws-behaviour.md §4, E56).
import { describe, expect, it } from "vitest";
import { createSecret, uniqueName } from "../support/fixtures";
import { sm } from "../support/sm";

const describeSecret = async (secretId: string) => (await sm("DescribeSecret", { SecretId: secretId })).body;

const createTagged = (name: string, tags = [{ Key: "tag1", Value: "value1" }, { Key: "tag2", Value: "value2" }, { Key: "tag3", Value: "value3" }]) =>
  createSecret(name, "v", { Tags: tags });

describe("UntagResource", () => {
  it("returns an empty body and removes the keys, keeping the order of the rest", async () => {
    const name = uniqueName("untag");
    await createTagged(name);
    const res = await sm("UntagResource", { SecretId: name, TagKeys: ["tag2"] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await describeSecret(name)).Tags).toEqual([
      { Key: "tag1", Value: "value1" },
      { Key: "tag3", Value: "value3" },
    ]);
  });

  it("removing every tag leaves \"Tags\": []", async () => {
    const name = uniqueName("untag");
    await createTagged(name);
    await sm("UntagResource", { SecretId: name, TagKeys: ["tag1", "tag2", "tag3"] });
    expect((await describeSecret(name)).Tags).toEqual([]);
  });

  it("keys the secret does not have are ignored", async () => {
    const name = uniqueName("untag");
    await createTagged(name);
    const res = await sm("UntagResource", { SecretId: name, TagKeys: ["nope", "tag1"] });
    expect(res.status).toBe(200);
    expect((await describeSecret(name)).Tags).toEqual([
      { Key: "tag2", Value: "value2" },
      { Key: "tag3", Value: "value3" },
    ]);
  });

  it("keys are case-sensitive", async () => {
    const name = uniqueName("untag");
    await createTagged(name);
    await sm("UntagResource", { SecretId: name, TagKeys: ["TAG1"] });
    expect((await describeSecret(name)).Tags).toHaveLength(3);
  });

  it("a removed key can be tagged again and goes to the end", async () => {
    const name = uniqueName("untag");
    await createTagged(name);
    await sm("UntagResource", { SecretId: name, TagKeys: ["tag1"] });
    await sm("TagResource", { SecretId: name, Tags: [{ Key: "tag1", Value: "again" }] });
    expect((await describeSecret(name)).Tags).toEqual([
      { Key: "tag2", Value: "value2" },
      { Key: "tag3", Value: "value3" },
      { Key: "tag1", Value: "again" },
    ]);
  });

  it("resolves by full and partial ARN", async () => {
    const name = uniqueName("untag");
    const created = await createTagged(name);
    await sm("UntagResource", { SecretId: created.ARN, TagKeys: ["tag1"] });
    await sm("UntagResource", { SecretId: created.ARN.slice(0, -7), TagKeys: ["tag2"] });
    expect((await describeSecret(name)).Tags).toEqual([{ Key: "tag3", Value: "value3" }]);
  });

  describe("errors", () => {
    it("a secret that does not exist returns ResourceNotFoundException", async () => {
      const res = await sm("UntagResource", { SecretId: uniqueName("missing"), TagKeys: ["k"] });
      expect(res.body).toEqual({ __type: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret." });
    });

    it("UntagResource on a secret marked for deletion returns InvalidRequestException", async () => {
      const name = uniqueName("untag");
      await createTagged(name);
      await sm("DeleteSecret", { SecretId: name });
      const res = await sm("UntagResource", { SecretId: name, TagKeys: ["tag1"] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        __type: "InvalidRequestException",
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      });
      expect((await describeSecret(name)).Tags).toHaveLength(3);
    });

    it("missing TagKeys returns ValidationException", async () => {
      const name = uniqueName("untag");
      await createTagged(name);
      const res = await sm("UntagResource", { SecretId: name });
      expect(res.body).toEqual({
        __type: "ValidationException",
        Message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
      });
    });
  });
});
