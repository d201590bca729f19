import { describe, expect, it } from "vitest";
import { sm, token } from "../support/sm";

describe("smoke", () => {
  it("creates and reads a secret under a named KMS key", async () => {
    const created = await sm("CreateSecret", { Name: "smoke", SecretString: "v", ClientRequestToken: token(), KmsKeyId: "alias/payments" });
    expect(created.status).toBe(200);
    const got = await sm("GetSecretValue", { SecretId: "smoke" });
    expect(got.body.SecretString).toBe("v");
  });
});
