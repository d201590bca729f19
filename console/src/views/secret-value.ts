// The secret's value: hidden until the user asks (GetSecretValue is called only then), shown with a copy button,
// and dropped again by Hide, by any reload of the page and by leaving it. PutSecretValue stores a new version.
import { GetSecretValueCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { field, form, h, run, section, select, statusLine } from "../dom";
import type { SectionContext } from "./secret-page";

export function valueSection({ secret, reload }: SectionContext): { element: HTMLElement; hide(): void } {
  const status = statusLine();
  const stages = [...new Set(Object.values(secret.VersionIdsToStages ?? {}).flat())].sort((a, b) => (a === "AWSCURRENT" ? -1 : b === "AWSCURRENT" ? 1 : a.localeCompare(b)));
  const stage = select("versionStage", (stages.length ? stages : ["AWSCURRENT"]).map((label) => [label, label]), "AWSCURRENT");
  const shown = h("div", { class: "value-box", hidden: true });
  const reveal = h("button", { type: "button" }, "Reveal value");
  let value: string | undefined;

  const hide = () => {
    value = undefined;
    shown.replaceChildren();
    shown.hidden = true;
    reveal.hidden = false;
  };

  reveal.addEventListener("click", () =>
    run(status, reveal, async () => {
      const answer = await secretsManager().send(new GetSecretValueCommand({ SecretId: secret.ARN, VersionStage: stage.value }));
      value = answer.SecretString ?? (answer.SecretBinary ? base64(answer.SecretBinary) : "");
      const copy = h("button", { type: "button", class: "secondary" }, "Copy");
      copy.addEventListener("click", () =>
        run(status, copy, async () => {
          await navigator.clipboard.writeText(value ?? "");
          status.ok("Copied to the clipboard.");
        }),
      );
      shown.replaceChildren(
        h("p", { class: "muted" }, `${answer.SecretString !== undefined ? "SecretString" : "SecretBinary (base64)"} of version ${answer.VersionId} (${(answer.VersionStages ?? []).join(", ")})`),
        h("pre", { class: "value", "aria-label": "Secret value", tabindex: 0 }, value),
        h("div", { class: "actions" }, copy, h("button", { type: "button", class: "secondary", onclick: () => (hide(), reveal.focus()) }, "Hide")),
      );
      shown.hidden = false;
      reveal.hidden = true;
    }),
  );

  const newValue = h("textarea", { name: "secretString", rows: 4, required: true, spellcheck: "false", autocomplete: "off", autocapitalize: "off" });
  const put = (putForm: HTMLFormElement) =>
    run(status, putForm, async () => {
      const answer = await secretsManager().send(new PutSecretValueCommand({ SecretId: secret.ARN, SecretString: newValue.value }));
      newValue.value = "";
      reload(`Stored version ${answer.VersionId} as ${(answer.VersionStages ?? []).join(", ")}.`);
    });

  const element = section(
    "Secret value",
    h("div", { class: "row reveal" }, field("Version stage", stage), reveal),
    shown,
    h(
      "details",
      {},
      h("summary", {}, "Store a new value"),
      form({ "aria-label": "Store a new value" }, put, field("New value (SecretString)", newValue, "Becomes AWSCURRENT; the current version becomes AWSPREVIOUS."), h("button", { type: "submit" }, "Store new value")),
    ),
    status,
  );
  return { element, hide };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
