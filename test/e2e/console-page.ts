// What the console's browser tests share: a signed-in page in its own browser context (clipboard allowed), a record
// of every URL it visited or requested and of the errors it logged, and readers for the secret page's sections and details.
import { expect } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";

export interface ConsolePage {
  page: Page;
  /** Every URL the page navigated to (hash changes included) or requested. */
  urls: string[];
  /** Console errors and uncaught exceptions, CSP violations among them. */
  errors: string[];
  close(): Promise<void>;
}

export async function openConsole(browser: Browser, endpoint: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: endpoint });
  const page = await context.newPage();
  const urls: string[] = [];
  const errors: string[] = [];
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  page.on("request", (request) => urls.push(request.url()));
  page.on("console", (message) => message.type() === "error" && !isExpectedApiError(message.text()) && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${endpoint}/console/`);
  return { page, urls, errors, close: () => context.close() };
}

// The browser logs every non-2xx answer as "Failed to load resource"; the API answers 400 on purpose in some tests.
const isExpectedApiError = (text: string) => /^Failed to load resource: the server responded with a status of 400/.test(text);

/** Signs in from the keyboard alone: the access key field has focus; Tab moves on; Enter submits. */
export async function signInWithKeyboard(page: Page, key: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  // A locator, not waitForFunction("…"): the page's CSP refuses the eval a string predicate needs once it polls.
  await page.locator("input[name=accessKeyId]:focus").waitFor();
  await page.keyboard.type(key.accessKeyId);
  await page.keyboard.press("Tab");
  await page.keyboard.type(key.secretAccessKey);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Secrets", level: 1 }).waitFor();
}

/** Follows a link of the main navigation. */
export const navigate = (page: Page, link: "Secrets" | "Create secret" | "Audit trail"): Promise<void> =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();

/** A titled section of the secret page. */
export const section = (page: Page, title: string): Locator => page.locator("section", { has: page.getByRole("heading", { name: title, level: 2 }) });

/** The versions table as version id → labels. */
export async function versionLabels(page: Page): Promise<Record<string, string[]>> {
  const rows = section(page, "Versions and labels").locator("tbody tr");
  await rows.first().waitFor();
  const labels: Record<string, string[]> = {};
  for (const row of await rows.all()) labels[(await row.locator("code").getAttribute("title")) ?? ""] = await row.locator(".label").allTextContents();
  return labels;
}

/** The text of the status line shown in `area` ("Code: message" for an error), "" while none is shown. */
export async function statusText(area: Locator): Promise<string> {
  const shown = area.locator(".status:not([hidden])");
  return (await shown.count()) ? ((await shown.last().textContent()) ?? "") : "";
}

/** The message at the top of the page (an action's outcome after the page reloads, or the page's own error). */
export const pageStatus = async (page: Page): Promise<string> => {
  const shown = page.locator("main > .status:not([hidden])");
  return (await shown.count()) ? ((await shown.textContent()) ?? "") : "";
};

/** Searches the list with a name filter until `name` is listed (ListSecrets follows writes within moments). */
export async function findByName(page: Page, prefix: string, name: string): Promise<void> {
  await navigate(page, "Secrets");
  await page.getByLabel("Filter on").selectOption("name");
  await page.getByLabel("Values").fill(prefix);
  await expect
    .poll(async () => {
      await page.getByRole("button", { name: "Search" }).click();
      await page.locator(".results[aria-busy=false]").waitFor();
      return page.getByRole("link", { name, exact: true }).count();
    })
    .toBe(1);
}

/** The value shown for `term` in a definition list of `area` (e.g. the Rotation section's "Last rotated"). */
export const detail = async (area: Locator, term: string): Promise<string> =>
  (await area.locator(`dl.details > dt:text-is(${JSON.stringify(term)}) + dd`).textContent()) ?? "";

/** How the console prints a date (console/src/dom.ts formatDate). */
export const shownDate = (date: Date | undefined): string => (date ? date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—");
