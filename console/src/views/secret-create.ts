// Create a secret: name, description, encryption key, value and tags (CreateSecret), then open its page.
import { CreateSecretCommand, type Tag } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { field, form, h, run, statusLine } from "../dom";

export function createView(root: HTMLElement): void {
  const status = statusLine();
  const name = h("input", { name: "name", required: true, maxlength: 512, spellcheck: "false", autocomplete: "off", autocapitalize: "off" });
  const description = h("input", { name: "description", maxlength: 2048, autocomplete: "off" });
  const kmsKeyId = h("input", { name: "kmsKeyId", placeholder: "alias/aws/secretsmanager", spellcheck: "false", autocomplete: "off" });
  const value = h("textarea", { name: "secretString", rows: 5, spellcheck: "false", autocomplete: "off", autocapitalize: "off" });
  const tags = h("textarea", { name: "tags", rows: 3, spellcheck: "false", autocomplete: "off", placeholder: "team=blue" });

  const create = (createForm: HTMLFormElement) =>
    run(status, createForm, async () => {
      const answer = await secretsManager().send(
        new CreateSecretCommand({
          Name: name.value.trim(),
          ...(description.value && { Description: description.value }),
          ...(kmsKeyId.value.trim() && { KmsKeyId: kmsKeyId.value.trim() }),
          ...(value.value && { SecretString: value.value }),
          ...(tags.value.trim() && { Tags: parseTags(tags.value) }),
        }),
      );
      value.value = "";
      location.hash = `#/secret/${encodeURIComponent(answer.ARN ?? name.value.trim())}`;
    });

  root.append(
    h("div", { class: "page-head" }, h("h1", {}, "Create secret")),
    form(
      { class: "card", "aria-label": "Create secret" },
      create,
      field("Name", name, "Letters, digits and /_+=.@- ; up to 512 characters."),
      field("Description", description),
      field("Encryption key (KMS key ID)", kmsKeyId, "Leave empty for the default key, aws/secretsmanager."),
      field("Secret value (SecretString)", value, "Optional: without a value the secret has no version yet."),
      field("Tags", tags, "One key=value per line."),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Create secret"), h("a", { class: "button secondary", href: "#/" }, "Cancel")),
      status,
    ),
  );
}

function parseTags(text: string): Tag[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf("=");
      return at < 0 ? { Key: line, Value: "" } : { Key: line.slice(0, at).trim(), Value: line.slice(at + 1).trim() };
    });
}
