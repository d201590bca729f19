// Rotation: its configuration, last and next rotation and an unfinished one (a version still labelled AWSPENDING,
// which is what a failed rotation leaves); RotateSecret (now, or with a new function and schedule) and
// CancelRotateSecret.
import { CancelRotateSecretCommand, RotateSecretCommand, type RotateSecretRequest, type RotationRulesType } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, details, field, form, formatDate, h, run, section, statusLine } from "../dom";
import type { SectionContext } from "./secret-page";

export function rotationSection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  const rules = secret.RotationRules;
  const pending = Object.entries(secret.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes("AWSPENDING") && !stages.includes("AWSCURRENT"))?.[0];

  const lambdaArn = h("input", { name: "rotationLambdaArn", value: secret.RotationLambdaARN ?? "", spellcheck: "false", autocomplete: "off" });
  const days = h("input", { name: "automaticallyAfterDays", type: "number", min: 1, max: 1000, value: rules?.AutomaticallyAfterDays ?? "" });
  const expression = h("input", { name: "scheduleExpression", value: rules?.ScheduleExpression ?? "", placeholder: "rate(10 days) or cron(0 16 1,15 * ? *)", spellcheck: "false" });
  const duration = h("input", { name: "duration", value: rules?.Duration ?? "", placeholder: "e.g. 3h", spellcheck: "false" });
  const immediately = h("input", { type: "checkbox", name: "rotateImmediately", checked: true });

  const send = async (command: RotateSecretCommand) => {
    const answer = await secretsManager().send(command);
    reload(answer.VersionId ? `Rotation started: version ${answer.VersionId}.` : "Rotation configured.");
  };
  const configure = (rotationForm: HTMLFormElement) => {
    const rotationRules: RotationRulesType = {
      ...(days.value && { AutomaticallyAfterDays: Number(days.value) }),
      ...(expression.value.trim() && { ScheduleExpression: expression.value.trim() }),
      ...(duration.value.trim() && { Duration: duration.value.trim() }),
    };
    const request: RotateSecretRequest = {
      SecretId: secret.ARN,
      ...(lambdaArn.value.trim() && { RotationLambdaARN: lambdaArn.value.trim() }),
      ...(Object.keys(rotationRules).length && { RotationRules: rotationRules }),
      RotateImmediately: immediately.checked,
    };
    void run(status, rotationForm, () => send(new RotateSecretCommand(request)));
  };
  const rotateNow = actionButton("Rotate now", "", status, () => send(new RotateSecretCommand({ SecretId: secret.ARN })));
  const cancel = actionButton("Cancel rotation", "secondary", status, async () => {
    await secretsManager().send(new CancelRotateSecretCommand({ SecretId: secret.ARN }));
    reload("Rotation cancelled.");
  });

  return section(
    "Rotation",
    details([
      ["Rotation", secret.RotationEnabled ? h("span", { class: "badge ok" }, "Enabled") : h("span", { class: "badge" }, "Not enabled")],
      ["Rotation function", secret.RotationLambdaARN ? h("code", {}, secret.RotationLambdaARN) : undefined],
      ["Schedule", schedule(rules)],
      ["Last rotated", formatDate(secret.LastRotatedDate)],
      ["Next rotation", formatDate(secret.NextRotationDate)],
      ["Unfinished rotation", pending ? h("span", { class: "badge warn" }, `AWSPENDING on version ${pending} (started and not finished, or failed)`) : "None"],
    ]),
    h("div", { class: "actions" }, rotateNow, (secret.RotationEnabled || pending) && cancel),
    h(
      "details",
      {},
      h("summary", {}, "Configure rotation"),
      form(
        { "aria-label": "Configure rotation" },
        configure,
        field("Rotation function ARN", lambdaArn),
        h("div", { class: "row" }, field("Every N days", days), field("Or schedule expression", expression), field("Window duration", duration)),
        field("Rotate immediately", immediately),
        h("button", { type: "submit" }, "Save and rotate"),
      ),
    ),
    status,
  );
}

function schedule(rules: RotationRulesType | undefined): string | undefined {
  if (!rules) return undefined;
  const every = rules.ScheduleExpression ?? (rules.AutomaticallyAfterDays ? `every ${rules.AutomaticallyAfterDays} days` : undefined);
  return every && (rules.Duration ? `${every}, window ${rules.Duration}` : every);
}
