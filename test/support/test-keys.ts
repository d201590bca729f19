// Key material for the test runtime: shared by vitest.config.ts (bindings) and the request helpers (signing).

const V = "2012-10-17";

/**
 * A key whose policy limits rotation by its condition keys: only the `passwords` function, no rule changes, never
 * RotateImmediately=false, and no rotation of a secret whose Type is `locked` or whose stored function is `unreachable`.
 */
export const ROTATION_LIMITED_KEY: { accessKeyId: string; secretAccessKey: string; accountId: string; principalArn: string; sessionToken?: string; policy: object } = {
  accessKeyId: "AKIDROTATIONLIMITED",
  secretAccessKey: "test-secret-rotation-limited",
  accountId: "111122223333",
  principalArn: "arn:aws:iam::111122223333:user/rotation-limited",
  policy: {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "secretsmanager:*", Resource: "*" },
      {
        Effect: "Deny", Action: "secretsmanager:RotateSecret", Resource: "*",
        Condition: { StringNotEqualsIfExists: { "secretsmanager:RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:passwords" } },
      },
      { Effect: "Deny", Action: "secretsmanager:RotateSecret", Resource: "*", Condition: { Bool: { "secretsmanager:ModifyRotationRules": "true" } } },
      { Effect: "Deny", Action: "secretsmanager:RotateSecret", Resource: "*", Condition: { Bool: { "secretsmanager:RotateImmediately": "false" } } },
      { Effect: "Deny", Action: "secretsmanager:RotateSecret", Resource: "*", Condition: { StringEquals: { "secretsmanager:resource/Type": "locked" } } },
      {
        Effect: "Deny", Action: "secretsmanager:RotateSecret", Resource: "*",
        Condition: { StringEquals: { "secretsmanager:resource/AllowRotationLambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:unreachable" } },
      },
    ],
  },
};

/**
 * Access keys of two accounts, a temporary key that must present its session token, and keys with identity
 * policies (README "Authorization"): keys without a policy have full access to their own account.
 */
export const TEST_ACCESS_KEYS = [
  ROTATION_LIMITED_KEY,
  { accessKeyId: "AKIDTESTLOCAL", secretAccessKey: "test-secret-local", accountId: "111122223333" },
  { accessKeyId: "AKIDOTHERACCOUNT", secretAccessKey: "test-secret-other", accountId: "444455556666" },
  {
    accessKeyId: "ASIDTESTSESSION",
    secretAccessKey: "test-secret-session",
    accountId: "111122223333",
    sessionToken: "test-session-token",
    principalArn: "arn:aws:sts::111122223333:assumed-role/app/session",
  },
  {
    // A session of a role with a path: the session ARN does not show the path, roleArn does.
    accessKeyId: "ASIDDEPLOYER",
    secretAccessKey: "test-secret-deployer",
    accountId: "111122223333",
    sessionToken: "test-deployer-token",
    principalArn: "arn:aws:sts::111122223333:assumed-role/deployer/ci-run",
    roleArn: "arn:aws:iam::111122223333:role/ops/deployer",
  },
  {
    // Reads, describes and lists only secrets tagged team=blue (and may describe blue/fixed).
    accessKeyId: "AKIDBLUEREADER",
    secretAccessKey: "test-secret-blue",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/blue-reader",
    policy: {
      Version: V,
      Statement: [
        {
          Sid: "BlueOnly",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecrets"],
          Resource: "*",
          Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "blue" } },
        },
        // One secret named the way AWS recommends (any suffix), whatever its tags.
        { Sid: "OneByName", Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: "arn:aws:secretsmanager:*:111122223333:secret:blue/fixed-??????" },
      ],
    },
  },
  {
    // Everything, except reading values under vault/ (an explicit Deny).
    accessKeyId: "AKIDNOVAULT",
    secretAccessKey: "test-secret-novault",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/no-vault",
    policy: {
      Version: V,
      Statement: [
        { Sid: "All", Effect: "Allow", Action: "secretsmanager:*", Resource: "*" },
        { Sid: "NoVault", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:*:*:secret:vault/*" },
      ],
    },
  },
  {
    // A tagged principal: may manage and read the secrets of its own team, named by a policy variable.
    accessKeyId: "AKIDGREENTEAM",
    secretAccessKey: "test-secret-green",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/green-dev",
    principalTags: { team: "green" },
    policy: {
      Version: V,
      Statement: [
        {
          Sid: "OwnTeam",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource"],
          Resource: "*",
          Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}" } },
        },
        {
          Sid: "CreateTagged",
          Effect: "Allow",
          Action: "secretsmanager:CreateSecret",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestTag/team": "${aws:PrincipalTag/team}" } },
        },
      ],
    },
  },
  {
    // Full access, but only from 203.0.113.0/24 (aws:SourceIp from cf-connecting-ip) and over HTTPS.
    accessKeyId: "AKIDOFFICE",
    secretAccessKey: "test-secret-office",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/office",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: "secretsmanager:*",
          Resource: "*",
          Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" }, Bool: { "aws:SecureTransport": "true" } },
        },
      ],
    },
  },
  {
    // Lists and reads (also in batches) only secrets tagged team=blue: the listing-oracle tests of issue 10.
    accessKeyId: "AKIDBLUEBATCH",
    secretAccessKey: "test-secret-blue-batch",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/blue-batch",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"],
          Resource: "*",
          Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "blue" } },
        },
        { Effect: "Allow", Action: "secretsmanager:BatchGetSecretValue", Resource: "*" },
      ],
    },
  },
  {
    // Everything, except reading secrets tagged classification=restricted and tagging or untagging that key
    // (issue 10's reproduction of a tag key differing only in case).
    accessKeyId: "AKIDCLASSIFIED",
    secretAccessKey: "test-secret-classified",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/classified",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Action: "secretsmanager:*", Resource: "*" },
        {
          Effect: "Deny",
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
          Condition: { StringEquals: { "secretsmanager:ResourceTag/classification": "restricted" } },
        },
        {
          Effect: "Deny",
          Action: ["secretsmanager:TagResource", "secretsmanager:UntagResource"],
          Resource: "*",
          Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["classification"] } },
        },
      ],
    },
  },
  {
    // The second account's reader: its own policy allows reading any secret; a secret's resource policy must agree.
    accessKeyId: "AKIDPARTNERREADER",
    secretAccessKey: "test-secret-partner",
    accountId: "444455556666",
    principalArn: "arn:aws:iam::444455556666:user/partner-reader",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:GetResourcePolicy"],
          Resource: "*",
        },
      ],
    },
  },
  {
    // Reads the audit trail (cloudtrail:LookupEvents) and nothing of Secrets Manager.
    accessKeyId: "AKIDAUDITOR",
    secretAccessKey: "test-secret-auditor",
    accountId: "111122223333",
    principalArn: "arn:aws:iam::111122223333:user/auditor",
    policy: { Version: V, Statement: [{ Effect: "Allow", Action: "cloudtrail:LookupEvents", Resource: "*" }] },
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

/**
 * Rotation targets of the in-runtime tests: a built-in rotator, a function no one serves (port 9 refuses), and the
 * adapter of a partner Type (managed external secrets), here the built-in rotator on one key of the JSON value.
 */
export const TEST_ROTATION_FUNCTIONS = {
  "arn:aws:lambda:us-east-1:111122223333:function:passwords": { builtin: "random-password", PasswordLength: 24 },
  ExamplePartnerSecret: { builtin: "random-password", key: "clientSecret", PasswordLength: 24 },
  "arn:aws:lambda:us-east-1:111122223333:function:unreachable": { url: "http://127.0.0.1:9/2015-03-31/functions/function/invocations", timeoutSeconds: 1 },
};

