// The web console (/console/) in a real browser: Debian's Chromium driven by playwright-core against a local server
// of its own, with an administrator key and a key limited by a tag-based policy. Covers the headers, sign-in from the
// keyboard, create, find by filter, reveal and copy, labels moving on a new value, tags, policy findings, update,
// delete and restore, AWS's errors for the operations still missing, the restricted key, and that no value reaches
// a URL or storage. Writes the README's screenshots (docs/console-list.png, docs/console-secret.png).
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateSecretCommand, DescribeSecretCommand, ListSecretsCommand, RotateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { REGION } from "./client";
import { type ConsolePage, findByName, navigate, openConsole, pageStatus, section, signInWithKeyboard, statusText, versionLabels } from "./console-page";
import { freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const ACCOUNT = "111122223333";
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));
const KEYS = {
  admin: { accessKeyId: "AKIDCONSOLEADMIN", secretAccessKey: "console-admin-secret" },
  blue: { accessKeyId: "AKIDCONSOLEBLUE", secretAccessKey: "console-blue-secret" },
};
const BLUE_READ = ["GetSecretValue", "DescribeSecret", "ListSecrets", "ListSecretVersionIds", "GetResourcePolicy"].map((action) => `secretsmanager:${action}`);
const ACCESS_KEYS = [
  { ...KEYS.admin, accountId: ACCOUNT },
  {
    ...KEYS.blue,
    accountId: ACCOUNT,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/blue-reader`,
    policy: {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: BLUE_READ, Resource: "*", Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "blue" } } }],
    },
  },
];
const KMS_KEYS = { "alias/aws/secretsmanager": { current: "1", versions: { "1": randomBytes(32).toString("base64") } } };

// Values the console handles in this file: none of them may appear in a URL or in storage.
const FIRST_VALUE = `{"user":"payments","password":"${randomBytes(12).toString("hex")}"}`;
const SECOND_VALUE = `{"user":"payments","password":"${randomBytes(12).toString("hex")}"}`;
const NAME = "prod/payments/db";

let server: LocalServer;
let stateDir: string;
let browser: Browser;
let admin: ConsolePage;
let sdk: SecretsManagerClient;

beforeAll(async () => {
  stateDir = freshStateDir();
  server = await startServer({ stateDir, env: { ACCESS_KEYS: JSON.stringify(ACCESS_KEYS), KMS_KEYS: JSON.stringify(KMS_KEYS) } });
  sdk = new SecretsManagerClient({ endpoint: server.endpoint, region: REGION, credentials: KEYS.admin });
  browser = await launchChromium();
  admin = await openConsole(browser, server.endpoint);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (stateDir) removeStateDir(stateDir);
});

describe("the console's page", () => {
  it("is served with a strict CSP (no inline script, frame-ancestors 'none') and no-referrer, and loads nothing from elsewhere", async () => {
    for (const path of ["/console/", "/console/console.js", "/console/console.css"]) {
      const response = await fetch(`${server.endpoint}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("form-action 'none'");
      expect(csp, path).not.toContain("unsafe");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      if (path === "/console/") {
        const html = await response.text();
        expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
        expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
      }
    }
    const requested = admin.urls.filter((url) => !url.startsWith(`${server.endpoint}/`));
    expect(requested).toEqual([]);
  });

  it("weighs under 300 KB gzipped, AWS SDK included", async () => {
    let total = 0;
    for (const file of ["index.html", "console.js", "console.css", "favicon.svg"]) {
      const body = Buffer.from(await (await fetch(`${server.endpoint}/console/${file}`)).arrayBuffer());
      expect(body.length, file).toBeGreaterThan(0);
      total += gzipSync(body).length;
    }
    expect(total).toBeLessThan(300 * 1024);
  });

  it("labels every control", async () => {
    const unlabelled = await admin.page.evaluate(
      "[...document.querySelectorAll('input, select, textarea')].filter((control) => !control.labels?.length && !control.getAttribute('aria-label')).length",
    );
    expect(unlabelled).toBe(0);
  });
});

describe("signing in", () => {
  it("refuses a wrong secret key with AWS's code and message, keeps the key for the tab only, and forgets it on Sign out", async () => {
    const visitor = await openConsole(browser, server.endpoint);
    try {
      const { page } = visitor;
      const wrong = { accessKeyId: KEYS.admin.accessKeyId, secretAccessKey: "not-the-secret" };
      await page.getByLabel("Access key ID").fill(wrong.accessKeyId);
      await page.getByLabel("Secret access key").fill(wrong.secretAccessKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      const refused = await new SecretsManagerClient({ endpoint: server.endpoint, region: REGION, credentials: wrong })
        .send(new ListSecretsCommand({ MaxResults: 1 }))
        .catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      await expect.poll(() => statusText(page.locator("form"))).toBe(`${(refused as Error).name}: ${(refused as Error).message}`);
      expect(await page.evaluate("sessionStorage.length")).toBe(0);

      await page.getByLabel("Secret access key").fill(KEYS.admin.secretAccessKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Secrets", level: 1 }).waitFor();
      expect(await page.evaluate("sessionStorage.length")).toBe(1);
      expect(await page.evaluate("localStorage.length")).toBe(0);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(await page.evaluate("sessionStorage.length")).toBe(0);
    } finally {
      await visitor.close();
    }
  });
});

describe("an administrator in the console", () => {
  it("signs in from the keyboard and creates a secret", async () => {
    const { page } = admin;
    await signInWithKeyboard(page, KEYS.admin);
    await navigate(page, "Create secret");
    await page.getByLabel("Name").fill(NAME);
    await page.getByLabel("Description").fill("Payments database, primary");
    await page.getByLabel("Secret value (SecretString)").fill(FIRST_VALUE);
    await page.getByLabel("Tags").fill("team=blue\nenv=prod");
    await page.getByRole("button", { name: "Create secret" }).click();
    await page.getByRole("heading", { name: NAME, level: 1 }).waitFor();
    const described = await sdk.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(described.Description).toBe("Payments database, primary");
    expect(described.Tags).toEqual(expect.arrayContaining([{ Key: "team", Value: "blue" }, { Key: "env", Value: "prod" }]));
  });

  it("finds it with a name filter, sorted by name", async () => {
    for (const [name, team] of [["prod/payments/api-key", "red"], ["prod/search/token", "blue"], ["staging/payments/db", "red"]] as const) {
      await sdk.send(new CreateSecretCommand({ Name: name, Description: `${name.split("/")[1]} service credential`, SecretString: "x", Tags: [{ Key: "team", Value: team }] }));
    }
    const { page } = admin;
    await findByName(page, "prod/", "prod/search/token");
    await expect.poll(() => page.locator(".results tbody tr").count()).toBe(3);
    await page.getByLabel("Per page").selectOption("10");
    await page.getByLabel("Sort by").selectOption("name");
    await page.getByLabel("Order").selectOption("asc");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.locator(".results tbody tr td:first-child").allTextContents()).toEqual(["prod/payments/api-key", NAME, "prod/search/token"]);
    await page.screenshot({ path: `${DOCS}console-list.png` });
  });

  it("pages through a longer list with NextToken, ten at a time, and back", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `batch/item-${String(i).padStart(2, "0")}`);
    await Promise.all(names.map((name) => sdk.send(new CreateSecretCommand({ Name: name, SecretString: "x" }))));
    const { page } = admin;
    const listCalls: unknown[] = [];
    page.on("request", (request) => request.headers()["x-amz-target"] === "secretsmanager.ListSecrets" && listCalls.push(request.postDataJSON()));
    await findByName(page, "batch/", names[0]!);
    const shown = () => page.locator(".results tbody tr td:first-child").allTextContents();
    await expect.poll(shown).toEqual(names.slice(0, 10));
    await page.getByRole("button", { name: "Next →" }).click();
    await expect.poll(shown).toEqual(names.slice(10));
    await expect.poll(() => page.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "← Previous" }).click();
    await expect.poll(shown).toEqual(names.slice(0, 10));
    expect(listCalls.at(-2)).toEqual(expect.objectContaining({ MaxResults: 10, NextToken: expect.any(String), SortBy: "name", SortOrder: "asc" }));
    expect(listCalls.every((call) => (call as { MaxResults?: number }).MaxResults === 10)).toBe(true);
  });

  it("reveals the value only when asked, copies it, and hides it again on leaving the page", async () => {
    const { page } = admin;
    await findByName(page, "prod/", NAME);
    await page.getByRole("link", { name: NAME, exact: true }).click();
    await page.getByRole("button", { name: "Reveal value" }).waitFor();
    expect(await page.content()).not.toContain(FIRST_VALUE);
    await page.getByRole("button", { name: "Reveal value" }).click();
    await expect.poll(() => page.locator("pre.value").textContent()).toBe(FIRST_VALUE);
    await page.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => statusText(section(page, "Secret value"))).toBe("Copied to the clipboard.");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(FIRST_VALUE);

    await navigate(page, "Secrets");
    await page.goBack();
    await page.getByRole("button", { name: "Reveal value" }).waitFor();
    expect(await page.content()).not.toContain(FIRST_VALUE);
  });

  it("stores a new value and shows AWSCURRENT and AWSPREVIOUS move", async () => {
    const { page } = admin;
    const before = await versionLabels(page);
    const [first] = Object.keys(before);
    expect(before).toEqual({ [first!]: ["AWSCURRENT"] });
    await page.getByText("Store a new value").click();
    await page.getByLabel("New value (SecretString)").fill(SECOND_VALUE);
    await page.getByRole("button", { name: "Store new value" }).click();
    await expect.poll(() => pageStatus(page)).toMatch(/^Stored version [0-9a-f-]{36} as AWSCURRENT\.$/);
    const second = (await pageStatus(page)).split(" ")[2]!;
    await expect.poll(() => versionLabels(page)).toEqual({ [second]: ["AWSCURRENT"], [first!]: ["AWSPREVIOUS"] });
    await page.getByRole("button", { name: "Reveal value" }).click();
    await expect.poll(() => page.locator("pre.value").textContent()).toBe(SECOND_VALUE);
    await page.getByRole("button", { name: "Hide" }).click();
    expect(await page.content()).not.toContain(SECOND_VALUE);
    await page.screenshot({ path: `${DOCS}console-secret.png`, fullPage: true });
  });

  it("tags the secret, shows ValidateResourcePolicy's findings, updates it, deletes it with a recovery window and restores it", async () => {
    const { page } = admin;
    const tags = section(page, "Tags");
    await tags.getByLabel("Tag key").fill("owner");
    await tags.getByLabel("Tag value").fill("payments-team");
    await tags.getByRole("button", { name: "Add tag" }).click();
    await expect.poll(() => pageStatus(page)).toBe("Tagged owner.");
    await tags.getByRole("cell", { name: "payments-team" }).waitFor();

    const policy = section(page, "Resource policy");
    const statement = { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" };
    await policy.getByLabel("Policy document (JSON)").fill(JSON.stringify({ Version: "2012-10-17", Statement: [statement] }));
    await policy.getByRole("button", { name: "Validate", exact: true }).click();
    await expect.poll(() => policy.locator(".findings").textContent()).toMatch(/ValidateResourcePolicy: 1 finding.*PUBLIC_POLICY: /);
    await policy.getByLabel("Policy document (JSON)").fill(JSON.stringify({ Version: "2012-10-17", Statement: [{ ...statement, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }] }));
    await policy.getByRole("button", { name: "Validate and save" }).click();
    await expect.poll(() => pageStatus(page)).toBe("Resource policy saved.");

    const settings = section(page, "Settings");
    await settings.getByLabel("Description").fill("Payments database, rotated monthly");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => pageStatus(page)).toBe("Secret updated.");
    await expect.poll(async () => (await sdk.send(new DescribeSecretCommand({ SecretId: NAME }))).Description).toBe("Payments database, rotated monthly");

    await section(page, "Settings").getByLabel("Recovery window (days)").fill("7");
    await section(page, "Settings").getByLabel(`I understand that ${NAME} will be deleted`).check();
    await section(page, "Settings").getByRole("button", { name: "Delete secret" }).click();
    await expect.poll(() => pageStatus(page)).toMatch(/^Deletion scheduled for \d{4}-\d\d-\d\d /);
    const deleted = await sdk.send(new DescribeSecretCommand({ SecretId: NAME }));
    expect(deleted.DeletedDate).toBeInstanceOf(Date);
    await section(page, "Settings").getByRole("button", { name: "Restore secret" }).click();
    await expect.poll(() => pageStatus(page)).toBe("Secret restored.");
    expect((await sdk.send(new DescribeSecretCommand({ SecretId: NAME }))).DeletedDate).toBeUndefined();
  });

  it("shows an error exactly as AWS answers it: code and message", async () => {
    const { page } = admin;
    await navigate(page, "Create secret");
    await page.getByLabel("Name").fill(NAME);
    await page.getByRole("button", { name: "Create secret" }).click();
    const error = await sdk.send(new CreateSecretCommand({ Name: NAME })).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    await expect.poll(() => statusText(page.locator("form"))).toBe(`${(error as Error).name}: ${(error as Error).message}`);
    await expect.poll(() => page.locator(".status.error[role=alert] .code").textContent()).toBe((error as Error).name);
  });
});

// Rotation, replication and the audit trail are built against AWS's shapes. Until the server has them, each action
// must show the API's own answer (UnknownOperationException today); the SDK, sent the same request, must get the same.
describe("rotation, replication and the audit trail", () => {
  it("Rotate now shows the answer RotateSecret gives", async () => {
    const { page } = admin;
    await navigate(page, "Secrets");
    await page.getByRole("link", { name: "prod/search/token", exact: true }).click();
    const rotation = section(page, "Rotation");
    await rotation.getByRole("button", { name: "Rotate now" }).click();
    const answer = await sdk.send(new RotateSecretCommand({ SecretId: "prod/search/token" })).then(
      () => undefined,
      (error: Error) => `${error.name}: ${error.message}`,
    );
    if (answer === undefined) {
      await expect.poll(() => pageStatus(page)).toMatch(/^Rotation started: version /);
    } else {
      await expect.poll(() => statusText(rotation)).toBe(answer);
    }
  });

  it("Replicate shows ReplicateSecretToRegions' answer, or the replica in its table", async () => {
    const { page } = admin;
    const replication = section(page, "Replication");
    await replication.getByText("Replicate to another region").click();
    await replication.getByLabel("Region", { exact: true }).fill("eu-west-1");
    await replication.getByRole("button", { name: "Replicate" }).click();
    // The outcome shows in the section (an error) or, after the page reloads, at its top (success).
    const outcome = async () => (await statusText(section(page, "Replication"))) || (await pageStatus(page));
    await expect.poll(outcome).not.toBe("");
    const shown = await outcome();
    if (shown === "Replication to eu-west-1 started.") {
      await section(page, "Replication").getByRole("cell", { name: "eu-west-1" }).waitFor();
    } else {
      expect(shown).toMatch(/^UnknownOperationException: The operation "secretsmanager\.ReplicateSecretToRegions" is not supported\.$/);
    }
  });

  it("the audit trail, opened from a secret's page, shows LookupEvents' answer for it", async () => {
    const { page } = admin;
    await findByName(page, "prod/", NAME);
    await page.getByRole("link", { name: NAME, exact: true }).click();
    await page.getByRole("link", { name: "Audit events" }).click();
    expect(await page.getByLabel("Lookup attribute").inputValue()).toBe("ResourceName");
    expect(await page.getByLabel("Value", { exact: true }).inputValue()).toBe(NAME);
    const trail = new CloudTrailClient({ endpoint: server.endpoint, region: REGION, credentials: KEYS.admin });
    const answer = await trail.send(new LookupEventsCommand({ MaxResults: 25 })).then(
      () => undefined,
      (error: Error) => `${error.name}: ${error.message}`,
    );
    if (answer === undefined) {
      await page.getByRole("cell", { name: "CreateSecret", exact: true }).first().waitFor();
    } else {
      await expect.poll(() => pageStatus(page)).toBe(answer);
    }
  });
});

describe("a key limited to secrets tagged team=blue", () => {
  let blue: ConsolePage;
  beforeAll(async () => {
    blue = await openConsole(browser, server.endpoint);
    await signInWithKeyboard(blue.page, KEYS.blue);
  });
  afterAll(() => blue?.close());

  it("lists and reads only what its policy allows, and sees AccessDeniedException for the rest", async () => {
    const { page } = blue;
    await findByName(page, "prod/", NAME);
    expect((await page.locator(".results tbody tr td:first-child").allTextContents()).sort()).toEqual([NAME, "prod/search/token"]);

    await page.getByRole("link", { name: NAME, exact: true }).click();
    await page.getByRole("button", { name: "Reveal value" }).click();
    await expect.poll(() => page.locator("pre.value").textContent()).toBe(SECOND_VALUE);

    const red = await sdk.send(new DescribeSecretCommand({ SecretId: "prod/payments/api-key" }));
    await page.evaluate(`location.hash = ${JSON.stringify(`#/secret/${encodeURIComponent(red.ARN!)}`)}`);
    await expect.poll(() => pageStatus(page)).toMatch(/^AccessDeniedException: /);
    expect(await page.locator("section").count()).toBe(0);

    await navigate(page, "Create secret");
    await page.getByLabel("Name").fill("prod/blue/new");
    await page.getByRole("button", { name: "Create secret" }).click();
    await expect.poll(() => statusText(page.locator("form"))).toMatch(/^AccessDeniedException: /);
  });
});

describe("values stay out of URLs and storage", () => {
  it("no value in any URL visited or requested, in localStorage, or in sessionStorage; no CSP violation or script error", async () => {
    for (const { page, urls, errors } of [admin]) {
      expect(urls.length).toBeGreaterThan(10);
      for (const value of [FIRST_VALUE, SECOND_VALUE]) {
        expect(urls.filter((url) => url.includes(value) || decodeURIComponent(url).includes(value))).toEqual([]);
      }
      expect(await page.evaluate("localStorage.length")).toBe(0);
      const session = await page.evaluate<string>("JSON.stringify({ ...sessionStorage })");
      expect(session).not.toContain("payments");
      expect(errors).toEqual([]);
      expect(urls.every((url) => url.startsWith(`${server.endpoint}/`))).toBe(true);
    }
  });
});
