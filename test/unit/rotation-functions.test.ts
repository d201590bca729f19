// ROTATION_FUNCTIONS parsing and lookup: function ARNs and partner Types to url, service or builtin targets.
import { describe, expect, it } from "vitest";
import { rotationFunctions, targetFor } from "../../src/rotation/targets/config";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate";

describe("ROTATION_FUNCTIONS", () => {
  it("maps function ARNs and partner Types to targets; builtin options get their defaults", () => {
    const functions = rotationFunctions(
      JSON.stringify({
        [ARN]: { url: "http://127.0.0.1:9000/2015-03-31/functions/function/invocations" },
        "arn:aws:lambda:us-east-1:123456789012:function:pg": { builtin: "postgresql", strategy: "alternating-users" },
        SalesforceClientSecret: { service: "SALESFORCE_ADAPTER" },
      }),
    );
    expect(targetFor(functions, { lambdaArn: ARN })).toEqual({ url: "http://127.0.0.1:9000/2015-03-31/functions/function/invocations" });
    expect(targetFor(functions, { lambdaArn: `${ARN}:live` })).toEqual(targetFor(functions, { lambdaArn: ARN }));
    expect(targetFor(functions, { lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:pg" })).toMatchObject({
      builtin: "postgresql",
      strategy: "alternating-users",
      PasswordLength: 32,
      ExcludeCharacters: ":/@\"'\\",
    });
    expect(targetFor(functions, { type: "SalesforceClientSecret", lambdaArn: ARN })).toEqual({ service: "SALESFORCE_ADAPTER" });
  });

  it("finds nothing for an unmapped function (E59) or type", () => {
    const functions = rotationFunctions(JSON.stringify({ [ARN]: { service: "X" } }));
    expect(targetFor(functions, { lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:other" })).toBeUndefined();
    expect(targetFor(functions, { lambdaArn: ARN.toUpperCase() })).toBeUndefined();
    expect(targetFor(functions, { type: "DatadogApiKey" })).toBeUndefined();
    expect(targetFor(rotationFunctions(undefined), { lambdaArn: ARN })).toBeUndefined();
  });

  it("refuses a broken configuration without quoting its values", () => {
    const secret = "wJalrXUtnFEMI-do-not-print";
    const refuse = (config: unknown) => () => rotationFunctions(typeof config === "string" ? config : JSON.stringify(config));
    expect(refuse("{")).toThrow("ROTATION_FUNCTIONS is not valid JSON");
    expect(refuse([])).toThrow("ROTATION_FUNCTIONS must be a JSON object");
    expect(refuse({ "not an arn": { service: "X" } })).toThrow(/is neither a Lambda function ARN nor a partner Type/);
    expect(refuse({ [ARN]: { url: "ftp://x", credentials: { accessKeyId: "A", secretAccessKey: secret } } })).toThrow(/the target of .* is not valid \(at url\)/);
    expect(refuse({ [ARN]: { url: "http://x", credentials: { accessKeyId: "A", secretAccessKey: secret, extra: 1 } } })).not.toThrow(new RegExp(secret));
    expect(refuse({ [ARN]: { builtin: "mysql" } })).toThrow(/not valid \(at builtin\)/);
    expect(refuse({ [ARN]: { builtin: "random-password", PasswordLength: 0 } })).toThrow(/not valid \(at PasswordLength\)/);
    expect(refuse({ [ARN]: { url: "http://x", service: "Y" } })).toThrow(/is not valid \(at \(target\)\)/);
    expect(refuse({ [ARN]: { lambda: "x" } })).toThrow(/needs url, service or builtin/);
  });
});
