// Versions and their staging labels (ListSecretVersionIds, deprecated versions included), and moving a label
// between versions (UpdateSecretVersionStage).
import { ListSecretVersionIdsCommand, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { field, form, formatDate, h, run, section, select, statusLine, table } from "../dom";
import type { SectionContext } from "./secret-page";

export function versionsSection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  const list = h("div", { class: "versions" }, h("p", { class: "muted" }, "Loading versions…"));
  void run(status, null, async () => {
    const answer = await secretsManager().send(new ListSecretVersionIdsCommand({ SecretId: secret.ARN, IncludeDeprecated: true, MaxResults: 100 }));
    const versions = (answer.Versions ?? []).sort((a, b) => (b.CreatedDate?.getTime() ?? 0) - (a.CreatedDate?.getTime() ?? 0));
    list.replaceChildren(
      versions.length
        ? table(
            ["Version", "Labels", "Created"],
            versions.map((version) => [
              h("code", { title: version.VersionId }, version.VersionId?.slice(0, 8) ?? ""),
              h("span", { class: "labels" }, ...(version.VersionStages?.length ? version.VersionStages.map(label) : [h("span", { class: "muted" }, "deprecated")])),
              formatDate(version.CreatedDate),
            ]),
            "Versions",
          )
        : h("p", { class: "muted" }, "No versions yet."),
    );
  });

  const versionIds = Object.keys(secret.VersionIdsToStages ?? {});
  const stage = h("input", { name: "versionStage", required: true, value: "AWSCURRENT", spellcheck: "false", autocomplete: "off" });
  const target = select("moveToVersionId", versionIds.map((id) => [id, id]));
  const move = (moveForm: HTMLFormElement) =>
    run(status, moveForm, async () => {
      const label = stage.value.trim();
      const holder = Object.entries(secret.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(label))?.[0];
      await secretsManager().send(
        new UpdateSecretVersionStageCommand({ SecretId: secret.ARN, VersionStage: label, MoveToVersionId: target.value, ...(holder && { RemoveFromVersionId: holder }) }),
      );
      reload(`Moved ${label} to version ${target.value}.`);
    });

  return section(
    "Versions and labels",
    list,
    versionIds.length > 1 &&
      h(
        "details",
        {},
        h("summary", {}, "Move a label"),
        form({ "aria-label": "Move a label" }, move, field("Label", stage), field("To version", target), h("button", { type: "submit" }, "Move label")),
      ),
    status,
  );
}

export const label = (name: string): HTMLElement => h("span", { class: `label ${name === "AWSCURRENT" ? "current" : name === "AWSPENDING" ? "pending" : ""}` }, name);
