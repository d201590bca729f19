// The secret's tags: TagResource adds or overwrites one, UntagResource removes one.
import { TagResourceCommand, UntagResourceCommand } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, field, form, h, run, section, statusLine, table } from "../dom";
import type { SectionContext } from "./secret-page";

export function tagsSection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  const tags = secret.Tags ?? [];
  const untag = (key: string) =>
    actionButton("Remove", "secondary small", status, async () => {
      await secretsManager().send(new UntagResourceCommand({ SecretId: secret.ARN, TagKeys: [key] }));
      reload(`Removed tag ${key}.`);
    }, { "aria-label": `Remove tag ${key}` });

  const key = h("input", { name: "tagKey", required: true, spellcheck: "false", autocomplete: "off" });
  const value = h("input", { name: "tagValue", spellcheck: "false", autocomplete: "off" });
  const add = (tagForm: HTMLFormElement) =>
    run(status, tagForm, async () => {
      await secretsManager().send(new TagResourceCommand({ SecretId: secret.ARN, Tags: [{ Key: key.value, Value: value.value }] }));
      reload(`Tagged ${key.value}.`);
    });

  return section(
    "Tags",
    tags.length
      ? table(
          ["Key", "Value", ""],
          tags.map((tag) => [
            tag.Key ?? "",
            tag.Value ?? "",
            untag(tag.Key ?? ""),
          ]),
          "Tags",
        )
      : h("p", { class: "muted" }, "No tags."),
    form({ class: "row inline", "aria-label": "Add a tag" }, add, field("Tag key", key), field("Tag value", value), h("button", { type: "submit" }, "Add tag")),
    status,
  );
}
