// Settings and lifecycle: UpdateSecret (description, encryption key), DeleteSecret with a recovery window (or,
// deliberately, none) and RestoreSecret while a deletion is pending.
import { DeleteSecretCommand, RestoreSecretCommand, UpdateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, field, form, formatDate, h, run, section, statusLine } from "../dom";
import type { SectionContext } from "./secret-page";

export function manageSection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  const description = h("input", { name: "description", value: secret.Description ?? "", autocomplete: "off" });
  const kmsKeyId = h("input", { name: "kmsKeyId", value: secret.KmsKeyId ?? "", placeholder: "alias/aws/secretsmanager", spellcheck: "false", autocomplete: "off" });
  const update = (updateForm: HTMLFormElement) =>
    run(status, updateForm, async () => {
      await secretsManager().send(
        new UpdateSecretCommand({
          SecretId: secret.ARN,
          Description: description.value,
          ...(kmsKeyId.value.trim() && kmsKeyId.value.trim() !== secret.KmsKeyId && { KmsKeyId: kmsKeyId.value.trim() }),
        }),
      );
      reload("Secret updated.");
    });

  const windowDays = h("input", { name: "recoveryWindowInDays", type: "number", min: 7, max: 30, value: 30, required: true });
  const force = h("input", { type: "checkbox", name: "forceDeleteWithoutRecovery" });
  const confirmDelete = h("input", { type: "checkbox", name: "confirmDelete", required: true });
  force.addEventListener("change", () => (windowDays.disabled = force.checked));
  const remove = (deleteForm: HTMLFormElement) =>
    run(status, deleteForm, async () => {
      const answer = await secretsManager().send(
        new DeleteSecretCommand({ SecretId: secret.ARN, ...(force.checked ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: Number(windowDays.value) }) }),
      );
      if (force.checked) location.hash = "#/";
      else reload(`Deletion scheduled for ${formatDate(answer.DeletionDate)}.`);
    });
  const restore = actionButton("Restore secret", "", status, async () => {
    await secretsManager().send(new RestoreSecretCommand({ SecretId: secret.ARN }));
    reload("Secret restored.");
  });

  return section(
    "Settings",
    form(
      { "aria-label": "Update secret" },
      update,
      h("div", { class: "row" }, field("Description", description), field("Encryption key (KMS key ID)", kmsKeyId, "Changing it re-encrypts new versions under that key.")),
      h("button", { type: "submit" }, "Save settings"),
    ),
    secret.DeletedDate
      ? h("div", { class: "danger-zone" }, h("p", {}, `Deletion was requested on ${formatDate(secret.DeletedDate)}. Until it happens, the secret can be restored.`), restore)
      : form(
          { class: "danger-zone", "aria-label": "Delete secret" },
          remove,
          h("h3", {}, "Delete"),
          narrow(field("Recovery window (days)", windowDays, "7 to 30 days during which the secret can be restored.")),
          field("Delete at once, without recovery", force),
          field(`I understand that ${secret.Name} will be deleted`, confirmDelete),
          h("button", { type: "submit", class: "danger" }, "Delete secret"),
        ),
    status,
  );
}

const narrow = (element: HTMLElement): HTMLElement => (element.classList.add("narrow"), element);
