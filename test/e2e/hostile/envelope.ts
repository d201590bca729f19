// What every answer of the service must look like: 200 with a JSON object, or 400 with AWS's JSON error envelope
// ({"__type", "Message"} and nothing else, x-amzn-ErrorType and x-amzn-RequestId headers). Never a 5xx.
import { expect } from "vitest";
import { AMZ_JSON, type RawResponse } from "../raw";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a response is not a well-formed AWS error, or undefined when it is one. */
export function envelopeProblem(response: RawResponse): string | undefined {
  if (response.status !== 400) return `status ${response.status}, not 400`;
  const body = response.json as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return `body is not a JSON object: ${response.text.slice(0, 200)}`;
  if (Object.keys(body).sort().join(",") !== "Message,__type") return `body members are ${Object.keys(body).join(",")}, not __type and Message`;
  if (typeof body.__type !== "string" || !/^[A-Za-z]+$/.test(body.__type)) return `__type ${JSON.stringify(body.__type)} is not an error code`;
  if (typeof body.Message !== "string") return "Message is not a string";
  if (response.headers.get("x-amzn-errortype") !== body.__type) return `x-amzn-ErrorType ${response.headers.get("x-amzn-errortype")} != ${body.__type}`;
  if (!UUID.test(response.headers.get("x-amzn-requestid") ?? "")) return `x-amzn-RequestId ${response.headers.get("x-amzn-requestid")} is not a request id`;
  if (!response.headers.get("content-type")?.startsWith(AMZ_JSON)) return `content-type ${response.headers.get("content-type")}`;
  return undefined;
}

/** Asserts a well-formed AWS error (status 400), with `code` when given; returns its code and message. */
export function expectAwsError(response: RawResponse, code?: string): { code: string; message: string } {
  const problem = envelopeProblem(response);
  expect(problem, `${problem}: ${response.text.slice(0, 300)}`).toBeUndefined();
  const body = response.json as { __type: string; Message: string };
  if (code !== undefined) expect(body.__type, body.Message).toBe(code);
  return { code: body.__type, message: body.Message };
}

/** Asserts 200 with a JSON object body. */
export function expectSuccess(response: RawResponse): Record<string, unknown> {
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  expect(typeof response.json === "object" && response.json !== null && !Array.isArray(response.json), response.text.slice(0, 200)).toBe(true);
  return response.json as Record<string, unknown>;
}

/** Asserts 200 with a JSON object, or a well-formed AWS error: what an answer to an input of unknown validity may be. */
export function expectAnswer(response: RawResponse): void {
  if (response.status === 200) expectSuccess(response);
  else expectAwsError(response);
}
