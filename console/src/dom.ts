// Small DOM helpers for the console's views: elements built as values (text is always set as text, never as HTML),
// labelled form fields, AWS error boxes and date formatting.
import { errorOf } from "./aws";

type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/** An element with attributes (`on…` keys are listeners, booleans toggle) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flatMap(toNode));
  return element;
}

function toNode(child: Child): (Node | string)[] {
  if (child === false || child === null || child === undefined) return [];
  return [typeof child === "number" ? String(child) : child];
}

let fieldCount = 0;

/** A labelled control: the label names the input for screen readers and clicks; `hint` describes it. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= `field-${++fieldCount}`;
  const labelElement = h("label", { for: control.id }, label);
  const hintElement = hint ? h("small", { id: `${control.id}-hint`, class: "hint" }, hint) : null;
  if (hintElement) control.setAttribute("aria-describedby", hintElement.id);
  // A checkbox comes before its label, every other control after it.
  const checkbox = control instanceof HTMLInputElement && control.type === "checkbox";
  return checkbox ? h("div", { class: "field check" }, control, labelElement, hintElement) : h("div", { class: "field" }, labelElement, control, hintElement);
}

/** A select whose options are [value, label] pairs. */
export function select(name: string, options: [string, string][], selected?: string): HTMLSelectElement {
  const element = h("select", { name });
  for (const [value, label] of options) element.append(h("option", { value, selected: value === selected }, label));
  return element;
}

/** A live region that shows an AWS error as "Code: message", or a status line. */
export type StatusLine = HTMLElement & { error(error: unknown): void; ok(text: string): void; clear(): void };

export function statusLine(): StatusLine {
  const element = h("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
  return Object.assign(element, {
    error(error: unknown) {
      const { code, message } = errorOf(error);
      element.className = "status error";
      element.setAttribute("role", "alert");
      element.replaceChildren(h("strong", { class: "code" }, code), message ? `: ${message}` : "");
      element.hidden = false;
    },
    ok(text: string) {
      element.className = "status ok";
      element.setAttribute("role", "status");
      element.replaceChildren(text);
      element.hidden = false;
    },
    clear() {
      element.hidden = true;
      element.replaceChildren();
    },
  });
}

/**
 * Runs an action from a form or button: disables the trigger while it runs, reports AWS's error in `status`.
 * Returns the action's result, or undefined when it failed.
 */
export async function run<T>(status: StatusLine, trigger: HTMLButtonElement | HTMLFormElement | null, action: () => Promise<T>): Promise<T | undefined> {
  const controls = trigger instanceof HTMLFormElement ? [...trigger.querySelectorAll("button")] : trigger ? [trigger] : [];
  for (const control of controls) control.disabled = true;
  status.clear();
  try {
    return await action();
  } catch (error) {
    status.error(error);
    return undefined;
  } finally {
    for (const control of controls) control.disabled = false;
  }
}

/** A button that runs `action` when pressed (through run: disabled meanwhile, AWS's error shown in `status`). */
export function actionButton(label: string, className: string, status: StatusLine, action: () => Promise<unknown>, attributes: Attributes = {}): HTMLButtonElement {
  const button = h("button", { type: "button", class: className, ...attributes }, label);
  button.addEventListener("click", () => run(status, button, action));
  return button;
}

/** A form whose submit runs `onSubmit` (never a native submission: the CSP's form-action 'none' blocks those too). */
export function form(attributes: Attributes, onSubmit: (form: HTMLFormElement) => void, ...children: Child[]): HTMLFormElement {
  const element = h("form", attributes, ...children);
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(element);
  });
  return element;
}

export const formatDate = (date: Date | undefined): string =>
  date ? date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—";

/** A definition list of label → value rows; empty values show a dash. */
export function details(rows: [string, Child][]): HTMLDListElement {
  const list = h("dl", { class: "details" });
  for (const [term, value] of rows) list.append(h("dt", {}, term), h("dd", {}, value === undefined || value === "" || value === null ? "—" : value));
  return list;
}

/** A titled section of a page. */
export function section(title: string, ...children: Child[]): HTMLElement {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

export function table(headings: string[], rows: Child[][], caption?: string): HTMLTableElement {
  return h(
    "table",
    {},
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", {}, h("tr", {}, ...headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}
