// The console's entry: the page frame (brand, navigation, signed-in key) and a hash router over the views.
// Routes carry secret names only, never a value: #/ (list), #/create, #/secret/<name or ARN>, #/audit[/<secret ARN>].
import { h } from "./dom";
import { currentSession, signOut } from "./session";
import { auditView } from "./views/audit";
import { createView } from "./views/secret-create";
import { listView } from "./views/secret-list";
import { secretView } from "./views/secret-page";
import { signInView } from "./views/sign-in";

/** A view renders into `root` and may return a cleanup, run when the user leaves it. */
export type View = (root: HTMLElement, parameter: string) => (() => void) | void;

const routes: [RegExp, View, string][] = [
  [/^#?\/?$/, listView, "Secrets"],
  [/^#\/create$/, createView, "Create secret"],
  [/^#\/secret\/(.+)$/, secretView, "Secret"],
  [/^#\/audit(?:\/(.+))?$/, auditView, "Audit trail"],
];

const app = document.getElementById("app")!;
let leave: (() => void) | void;

function render(): void {
  leave?.();
  leave = undefined;
  const session = currentSession();
  const main = h("main", { id: "main", tabindex: -1 });
  if (!session) {
    app.replaceChildren(frame(undefined), main);
    document.title = "Sign in · secrets-edge console";
    signInView(main);
    return;
  }
  const [pattern, view, title] = routes.find(([pattern]) => pattern.test(location.hash)) ?? routes[0]!;
  const parameter = decodeURIComponent(pattern.exec(location.hash)?.[1] ?? "");
  app.replaceChildren(frame(location.hash), main);
  document.title = `${parameter || title} · secrets-edge console`;
  leave = view(main, parameter);
  main.focus({ preventScroll: true });
}

function frame(hash: string | undefined): HTMLElement {
  const session = currentSession();
  const link = (href: string, label: string, current: boolean) => h("a", { href, "aria-current": current ? "page" : undefined }, label);
  return h(
    "header",
    { class: "topbar" },
    h("a", { class: "skip", href: "#main", onclick: skipToMain }, "Skip to content"),
    h("span", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "◆"), "secrets-edge"),
    session &&
      h(
        "nav",
        { "aria-label": "Main" },
        link("#/", "Secrets", hash !== undefined && /^#?\/?$|^#\/secret\//.test(hash)),
        link("#/create", "Create secret", hash === "#/create"),
        link("#/audit", "Audit trail", hash?.startsWith("#/audit") ?? false),
      ),
    session &&
      h(
        "div",
        { class: "identity" },
        h("span", { title: "Signed-in access key and region" }, `${session.accessKeyId} · ${session.region}`),
        h("button", { type: "button", class: "secondary small", onclick: () => (signOut(), render()) }, "Sign out"),
      ),
  );
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

window.addEventListener("hashchange", render);
// Leaving the page (another site, a reload, closing the tab) runs the current view's cleanup too: a revealed value
// is dropped and never kept in the back/forward cache's copy of the page.
window.addEventListener("pagehide", () => {
  leave?.();
  leave = undefined;
});
window.addEventListener("pageshow", (event) => event.persisted && render());
document.addEventListener("console:signed-in", render);
render();
