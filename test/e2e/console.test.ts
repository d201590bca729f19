// The web console (/console/) in a real browser: Debian's Chromium driven by playwright-core against a local server
// of its own, with an administrator key, a key limited by a tag-based policy, and the template-style rotation function
// over the Lambda Invoke API on loopback (rotation/functions.ts). Covers the headers, sign-in from the keyboard, create,
// find by filter, reveal and copy, labels moving on a new value, tags, policy findings, update, delete and restore,
// AWS's errors, rotation (dates and labels after Rotate now, a failing function's failure), the audit trail of it all
// with no value in it, the restricted key, and that no value reaches a URL or storage. Takes the README's screenshots:
// into docs/ with UPDATE_SCREENSHOTS=1, else into a temporary directory, so a run leaves the working copy clean.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, RotateSecretCommand, SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { REGION } from "./client";
import {
  type ConsolePage, detail, findByName, navigate, openConsole, pageStatus, section, shownDate, signInWithKeyboard, statusText, versionLabels,
} from "./console-page";
import { FUNCTION_ARN, failingArn, type RotationFunctions, startRotationFunctions } from "./rotation/functions";
import { E2E_ACCESS_KEYS, freePort, freshStateDir, type LocalServer, removeStateDir, startServer } from "./server";

const ACCOUNT = "111122223333";
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? fileURLToPath(new URL("../../docs/", import.meta.url)) : join(tmpdir(), "secrets-edge-console-screenshots");
const KEYS = {
  admin: { accessKeyId: "AKIDCONSOLEADMIN", secretAccessKey: "console-admin-secret" },
  blue: { accessKeyId: "AKIDCONSOLEBLUE", secretAccessKey: "console-blue-secret" },
};
/** The one step the failing rotation function fails at. */
const FAIL_STEP = "setSecret";
const BLUE_READ = ["GetSecretValue", "DescribeSecret", "ListSecrets", "ListSecretVersionIds", "GetResourcePolicy"].map((action) => `secretsmanager:${action}`);
const ACCESS_KEYS = [
  { ...KEYS.admin, accountId: ACCOUNT },
  // The rotation functions' own key (they sign with client.ts CREDENTIALS).
  ...E2E_ACCESS_KEYS,
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
let functions: RotationFunctions;
let stateDir: string;
let browser: Browser;
let admin: ConsolePage;
let sdk: SecretsManagerClient;

beforeAll(async () => {
  stateDir = freshStateDir();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The functions call the server back, so its port is chosen first.
  const port = await freePort();
  functions = await startRotationFunctions(`http://127.0.0.1:${port}`, [FAIL_STEP]);
  server = await startServer({
    stateDir,
    port,
    env: { ACCESS_KEYS: JSON.stringify(ACCESS_KEYS), KMS_KEYS: JSON.stringify(KMS_KEYS), ROTATION_FUNCTIONS: functions.config },
  });
  sdk = new SecretsManagerClient({ endpoint: server.endpoint, region: REGION, credentials: KEYS.admin });
  browser = await launchChromium();
  admin = await openConsole(browser, server.endpoint);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await functions?.stop();
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
    await page.screenshot({ path: join(SCREENSHOTS, "console-list.png") });
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

/** Opens a secret's page from the list. */
async function openSecret(page: ConsolePage["page"], name: string): Promise<void> {
  await findByName(page, name.slice(0, name.indexOf("/") + 1), name);
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
}

/**
 * Configures rotation from the Rotation section (function, every 30 days, not at once: RotateSecret runs testSecret
 * alone on a copy of the value) and waits until the page, following that test run, shows it finished.
 */
async function configureRotation(page: ConsolePage["page"], functionArn: string): Promise<void> {
  const rotation = section(page, "Rotation");
  await rotation.getByText("Configure rotation").click();
  await rotation.getByLabel("Rotation function ARN").fill(functionArn);
  await rotation.getByLabel("Every N days").fill("30");
  await rotation.getByLabel("Rotate immediately").uncheck();
  await rotation.getByRole("button", { name: "Save and rotate" }).click();
  await expect.poll(() => pageStatus(page)).toMatch(/^Rotation started: version [0-9a-f-]{36}\.$/);
  await expect.poll(() => detail(section(page, "Rotation"), "Rotation")).toBe("Enabled");
  await expect.poll(() => detail(section(page, "Rotation"), "Unfinished rotation"), { timeout: 30_000 }).toBe("None");
}

/** Presses Rotate now and returns the version the rotation writes (the page's "Rotation started: version …"). */
async function rotateNow(page: ConsolePage["page"]): Promise<string> {
  await section(page, "Rotation").getByRole("button", { name: "Rotate now" }).click();
  await expect.poll(() => pageStatus(page)).toMatch(/^Rotation started: version [0-9a-f-]{36}\.$/);
  return (await pageStatus(page)).split(" ")[3]!.slice(0, -1);
}

const sortedLabels = (labels: Record<string, string[]>) => Object.fromEntries(Object.entries(labels).map(([id, list]) => [id, [...list].sort()]));

describe("rotation with the template-style function on loopback", () => {
  it("Rotate now on a secret without a rotation function shows RotateSecret's error, as the SDK gets it", async () => {
    const { page } = admin;
    await openSecret(page, "prod/search/token");
    await section(page, "Rotation").getByRole("button", { name: "Rotate now" }).click();
    const error = await sdk.send(new RotateSecretCommand({ SecretId: "prod/search/token" })).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    await expect.poll(() => statusText(section(page, "Rotation"))).toBe(`${(error as Error).name}: ${(error as Error).message}`);
  });

  it("configures rotation, rotates now, and shows the last and next rotation and the labels moved", async () => {
    const { page } = admin;
    await openSecret(page, NAME);
    const before = await versionLabels(page);
    const [second, first] = [Object.keys(before).find((id) => before[id]!.includes("AWSCURRENT"))!, Object.keys(before).find((id) => before[id]!.includes("AWSPREVIOUS"))!];
    expect(await detail(section(page, "Rotation"), "Rotation")).toBe("Not enabled");
    expect(await detail(section(page, "Rotation"), "Last rotated")).toBe("—");

    await configureRotation(page, FUNCTION_ARN);
    // The test run moved no label and is not a rotation; the schedule already gives the next date.
    expect(await versionLabels(page)).toEqual(before);
    expect(await detail(section(page, "Rotation"), "Last rotated")).toBe("—");
    expect(await detail(section(page, "Rotation"), "Next rotation")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    const token = await rotateNow(page);
    // The page follows the rotation to its end: no reload by hand.
    await expect.poll(() => detail(section(page, "Rotation"), "Last rotated"), { timeout: 30_000 }).not.toBe("—");
    const described = await sdk.send(new DescribeSecretCommand({ SecretId: NAME }));
    const rotation = section(page, "Rotation");
    expect(await detail(rotation, "Last rotated")).toBe(shownDate(described.LastRotatedDate));
    expect(await detail(rotation, "Next rotation")).toBe(shownDate(described.NextRotationDate));
    const days = (described.NextRotationDate!.getTime() - described.LastRotatedDate!.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(31);
    expect(await detail(rotation, "Schedule")).toBe("every 30 days");
    expect(await detail(rotation, "Rotation function")).toBe(FUNCTION_ARN);
    expect(await detail(rotation, "Unfinished rotation")).toBe("None");
    expect(await detail(rotation, "Last failure")).toBe("—");
    // AWSCURRENT on the new version (AWSPENDING stays with it, as AWS's templates leave it), AWSPREVIOUS on the one it
    // replaced, and the first version deprecated.
    await expect.poll(async () => sortedLabels(await versionLabels(page))).toEqual({ [token]: ["AWSCURRENT", "AWSPENDING"], [second]: ["AWSPREVIOUS"], [first]: [] });
    expect(sortedLabels(described.VersionIdsToStages!)).toEqual({ [token]: ["AWSCURRENT", "AWSPENDING"], [second]: ["AWSPREVIOUS"] });
    await page.screenshot({ path: join(SCREENSHOTS, "console-secret.png"), fullPage: true });
  });

  it(`a function that fails at ${FAIL_STEP}: the page shows the rotation in progress, then its failure as the trail recorded it`, { timeout: 120_000 }, async () => {
    const name = "prod/payments/reports";
    const created = await sdk.send(new CreateSecretCommand({ Name: name, SecretString: "reports-initial", Tags: [{ Key: "team", Value: "red" }] }));
    const { page } = admin;
    await openSecret(page, name);
    await configureRotation(page, failingArn(FAIL_STEP));
    const token = await rotateNow(page);
    // AWS retries the whole rotation a few times before recording the failure: it is in progress meanwhile.
    await expect.poll(() => detail(section(page, "Rotation"), "Unfinished rotation")).toMatch(/^(In progress|Failed) AWSPENDING /);
    await expect
      .poll(() => detail(section(page, "Rotation"), "Unfinished rotation"), { timeout: 100_000, interval: 1_000 })
      .toBe(`Failed AWSPENDING left on version ${token}`);
    const rotation = section(page, "Rotation");
    expect(await detail(rotation, "Last failure")).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: Error when executing lambda ${failingArn(FAIL_STEP)} during ${FAIL_STEP} step$`),
    );
    expect(await detail(rotation, "Last rotated")).toBe("—");
    expect(await versionLabels(page)).toEqual({ [token]: ["AWSPENDING"], [created.VersionId!]: ["AWSCURRENT"] });
  });
});

describe("replication", () => {
  it("Replicate shows the replica in its table", async () => {
    const { page } = admin;
    await openSecret(page, "prod/search/token");
    const replication = section(page, "Replication");
    await replication.getByText("Replicate to another region").click();
    await replication.getByLabel("Region", { exact: true }).fill("eu-west-1");
    await replication.getByRole("button", { name: "Replicate" }).click();
    // The outcome shows in the section (an error) or, after the page reloads, at its top (success).
    const outcome = async () => (await statusText(section(page, "Replication"))) || (await pageStatus(page));
    await expect.poll(outcome).not.toBe("");
    expect(await outcome()).toBe("Replication to eu-west-1 started.");
    await section(page, "Replication").getByRole("cell", { name: "eu-west-1" }).waitFor();
  });
});

describe("the audit trail of what this file did", () => {
  const trail = () => new CloudTrailClient({ endpoint: server.endpoint, region: REGION, credentials: KEYS.admin });

  /** Looks up events with what the form holds, and waits for the answer. */
  async function lookUp(page: ConsolePage["page"]): Promise<void> {
    await page.getByRole("button", { name: "Look up events" }).click();
    await page.locator(".results[aria-busy=false]").waitFor();
  }

  /** Goes through the audit view's pages (Next → until it is disabled), calling `each` on every page. */
  async function eachPage(page: ConsolePage["page"], each: () => Promise<void>): Promise<void> {
    for (;;) {
      await each();
      const next = page.getByRole("button", { name: "Next →" });
      if (!(await next.count()) || (await next.isDisabled())) return;
      await next.click();
      await page.locator(".results[aria-busy=false]").waitFor();
    }
  }

  /** Every row of the audit view, page after page, as [event, caller, access key, outcome]. */
  async function allRows(page: ConsolePage["page"]): Promise<string[][]> {
    const rows: string[][] = [];
    await eachPage(page, async () => {
      for (const row of await page.locator(".results tbody tr").all()) rows.push((await row.locator("td").allTextContents()).slice(1, 5));
    });
    return rows;
  }

  it("shows, from the secret's page, the reads, the put, the rotation and the function's calls, exactly as LookupEvents lists them", async () => {
    const { page } = admin;
    const arn = (await sdk.send(new DescribeSecretCommand({ SecretId: NAME }))).ARN!;
    await openSecret(page, NAME);
    await page.getByRole("link", { name: "Audit events" }).click();
    expect(await page.getByLabel("Lookup attribute").inputValue()).toBe("ResourceName");
    expect(await page.getByLabel("Value", { exact: true }).inputValue()).toBe(arn);
    await page.getByLabel("Per page").selectOption("50");
    await lookUp(page);
    const rows = await allRows(page);

    const listed: string[] = [];
    let NextToken: string | undefined;
    do {
      const answer = await trail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: arn }], MaxResults: 50, NextToken }));
      listed.push(...(answer.Events ?? []).map((event) => event.EventName!));
      NextToken = answer.NextToken;
    } while (NextToken);
    expect(rows.map(([event]) => event)).toEqual(listed);

    const by = (event: string, key: string) => rows.filter(([name, , accessKey, outcome]) => name === event && accessKey === key && outcome === "Success");
    const admin_ = KEYS.admin.accessKeyId;
    const fn = E2E_ACCESS_KEYS[0]!.accessKeyId;
    expect(by("CreateSecret", admin_)).toHaveLength(1);
    // The reveals (first value, then the new one), and the function's reads during the rotations.
    expect(by("GetSecretValue", admin_).length).toBeGreaterThanOrEqual(2);
    expect(by("GetSecretValue", fn).length).toBeGreaterThanOrEqual(2);
    expect(by("PutSecretValue", admin_)).toHaveLength(1);
    expect(by("RotateSecret", admin_)).toHaveLength(2);
    // createSecret's pending value and finishSecret's label move, by the function's own key.
    expect(by("PutSecretValue", fn)).toHaveLength(1);
    expect(by("UpdateSecretVersionStage", fn)).toHaveLength(1);
    for (const event of ["TestRotationStarted", "TestRotationSucceeded", "RotationStarted", "RotationSucceeded"]) {
      expect(rows.filter(([name, caller]) => name === event && caller === "secretsmanager.amazonaws.com"), event).toHaveLength(1);
    }
    for (const event of ["TagResource", "PutResourcePolicy", "UpdateSecret", "DeleteSecret", "RestoreSecret"]) expect(by(event, admin_), event).toHaveLength(1);
  });

  it("shows a refused call with its error code, and the failed rotation's event", async () => {
    const { page } = admin;
    await page.getByLabel("Lookup attribute").selectOption("EventName");
    await page.getByLabel("Value", { exact: true }).fill("RotateSecret");
    await lookUp(page);
    const rotations = (await allRows(page)).map(([, , key, outcome]) => `${key} ${outcome}`).sort();
    // Two for each rotated secret; Rotate now on the secret without a function, from the console and from the SDK.
    expect(rotations).toEqual([...Array(4).fill(`${KEYS.admin.accessKeyId} Success`), ...Array(2).fill(`${KEYS.admin.accessKeyId} InvalidRequestException`)].sort());

    await page.getByLabel("Value", { exact: true }).fill("RotationFailed");
    await lookUp(page);
    expect(await allRows(page)).toEqual([["RotationFailed", "secretsmanager.amazonaws.com", "", "Failed"]]);
    const reports = (await sdk.send(new DescribeSecretCommand({ SecretId: "prod/payments/reports" }))).ARN!;
    await page.getByRole("cell", { name: reports }).waitFor();
  });

  it("holds no value: not one of the values this file stored, read or rotated in, in any record the view shows", async () => {
    const { page } = admin;
    const rotated = (await sdk.send(new GetSecretValueCommand({ SecretId: NAME }))).SecretString!;
    const pending = (await sdk.send(new GetSecretValueCommand({ SecretId: "prod/payments/reports", VersionStage: "AWSPENDING" }))).SecretString!;
    await page.getByLabel("Lookup attribute").selectOption("EventSource");
    await page.getByLabel("Value", { exact: true }).fill("secretsmanager.amazonaws.com");
    await lookUp(page);
    let pages = 0;
    await eachPage(page, async () => {
      pages++;
      // textContent, not what is visible: the closed records count too.
      const text = await page.evaluate<string>("document.body.textContent");
      expect(text).toContain('"eventSource": "secretsmanager.amazonaws.com"');
      for (const value of [FIRST_VALUE, SECOND_VALUE, rotated, pending, "reports-initial"]) expect(text.includes(value)).toBe(false);
      expect(text).not.toMatch(/"secretString"|"secretBinary"|"randomPassword"|"rotationToken"/i);
    });
    expect(pages).toBeGreaterThan(1);
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
    const current = (await sdk.send(new GetSecretValueCommand({ SecretId: NAME }))).SecretString;
    await expect.poll(() => page.locator("pre.value").textContent()).toBe(current);

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
    const rotated = (await sdk.send(new GetSecretValueCommand({ SecretId: NAME }))).SecretString!;
    for (const { page, urls, errors } of [admin]) {
      expect(urls.length).toBeGreaterThan(10);
      for (const value of [FIRST_VALUE, SECOND_VALUE, rotated]) {
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
