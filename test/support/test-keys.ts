// Key material for the test runtime: shared by vitest.config.ts (bindings) and the request helpers (signing).

/** Access keys of two accounts, plus a temporary key that must present its session token. */
export const TEST_ACCESS_KEYS = [
  { accessKeyId: "AKIDTESTLOCAL", secretAccessKey: "test-secret-local", accountId: "111122223333" },
  { accessKeyId: "AKIDOTHERACCOUNT", secretAccessKey: "test-secret-other", accountId: "444455556666" },
  {
    accessKeyId: "ASIDTESTSESSION",
    secretAccessKey: "test-secret-session",
    accountId: "111122223333",
    sessionToken: "test-session-token",
    principalArn: "arn:aws:sts::111122223333:assumed-role/app/session",
  },
];

/** A default key plus a second named key with two versions (rotation). */
export const TEST_KMS_KEYS = {
  "alias/aws/secretsmanager": { current: "1", versions: { "1": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" } },
  "alias/payments": {
    current: "2",
    aliases: ["0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"],
    versions: { "1": "cGF5bWVudHMtb2xkLWtleS0wMTIzNDU2Nzg5YWJjZGU=", "2": "cGF5bWVudHMtbmV3LWtleS0wMTIzNDU2Nzg5YWJjZGU=" },
  },
};
