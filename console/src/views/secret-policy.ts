// The resource policy: GetResourcePolicy shows it; the editor checks a draft with ValidateResourcePolicy (its
// findings listed) before PutResourcePolicy stores it; DeleteResourcePolicy removes it.
import {
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  ValidateResourcePolicyCommand,
  type ValidationErrorsEntry,
} from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, field, form, h, run, section, statusLine } from "../dom";
import type { SectionContext } from "./secret-page";

export function policySection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  // Read-only until the stored policy has loaded, so nothing typed meanwhile is overwritten.
  const editor = h("textarea", { name: "resourcePolicy", rows: 10, class: "code", spellcheck: "false", autocomplete: "off", readonly: true });
  const findings = h("div", { class: "findings", "aria-live": "polite" });
  const blockPublic = h("input", { type: "checkbox", name: "blockPublicPolicy", checked: true });

  const validate = async () => {
    const answer = await secretsManager().send(new ValidateResourcePolicyCommand({ SecretId: secret.ARN, ResourcePolicy: editor.value }));
    findings.replaceChildren(findingList(answer.PolicyValidationPassed ?? false, answer.ValidationErrors ?? []));
    return answer.PolicyValidationPassed ?? false;
  };
  const save = (policyForm: HTMLFormElement) =>
    run(status, policyForm, async () => {
      if (!(await validate())) return findings.append(h("p", { class: "muted" }, "Not saved: resolve the findings first."));
      await secretsManager().send(new PutResourcePolicyCommand({ SecretId: secret.ARN, ResourcePolicy: editor.value, BlockPublicPolicy: blockPublic.checked }));
      reload("Resource policy saved.");
    });
  const validateButton = actionButton("Validate", "secondary", status, validate);
  const remove = actionButton("Delete policy", "danger", status, async () => {
    await secretsManager().send(new DeleteResourcePolicyCommand({ SecretId: secret.ARN }));
    reload("Resource policy deleted.");
  });
  remove.hidden = true;
  void run(status, null, async () => {
    const answer = await secretsManager().send(new GetResourcePolicyCommand({ SecretId: secret.ARN }));
    editor.value = answer.ResourcePolicy ? pretty(answer.ResourcePolicy) : "";
    editor.placeholder = answer.ResourcePolicy ? "" : "No resource policy. Write one here to attach it.";
    remove.hidden = !answer.ResourcePolicy;
  }).then(() => {
    editor.readOnly = false;
  });

  return section(
    "Resource policy",
    form(
      { "aria-label": "Resource policy" },
      save,
      field("Policy document (JSON)", editor),
      field("Block a policy that grants public access (BlockPublicPolicy)", blockPublic),
      h("div", { class: "actions" }, validateButton, h("button", { type: "submit" }, "Validate and save"), remove),
    ),
    findings,
    status,
  );
}

function findingList(passed: boolean, errors: ValidationErrorsEntry[]): HTMLElement {
  if (passed && !errors.length) return h("p", { class: "status ok" }, "ValidateResourcePolicy: no findings.");
  return h(
    "div",
    { class: "status error", role: "alert" },
    h("strong", {}, `ValidateResourcePolicy: ${errors.length} finding${errors.length === 1 ? "" : "s"}`),
    h("ul", {}, ...errors.map((entry) => h("li", {}, entry.CheckName ? h("code", {}, entry.CheckName) : "", entry.CheckName ? ": " : "", entry.ErrorMessage ?? ""))),
  );
}

function pretty(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    return policy;
  }
}
