// Rotation: its configuration, last and next rotation, and an unfinished one (a version still labelled AWSPENDING):
// in progress, followed until it ends, or failed, with the failure the trail recorded (rotation-outcome.ts);
// RotateSecret (now, or with a new function and schedule) and CancelRotateSecret.
import { CancelRotateSecretCommand, type DescribeSecretResponse, RotateSecretCommand, type RotateSecretRequest, type RotationRulesType } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, details, field, form, formatDate, h, run, section, statusLine } from "../dom";
import { outcomeOf, pendingVersion, watchRotation } from "./rotation-outcome";
import type { SectionContext } from "./secret-page";

export function rotationSection({ secret, reload, active }: SectionContext): HTMLElement {
  const status = statusLine();
  const rules = secret.RotationRules;
  const pending = pendingVersion(secret);
  const unfinished = h("span", {}, pending ? "AWSPENDING on version " + pending : "None");
  const lastFailure = h("span", {}, "—");
  if (pending) {
    void outcomeOf(secret.ARN!, pending).then((outcome) => {
      if (!active()) return;
      if (outcome.state === "failed") {
        unfinished.replaceChildren(h("span", { class: "badge error" }, "Failed"), ` AWSPENDING left on version ${pending}`);
        lastFailure.replaceChildren(`${formatDate(outcome.time)}: ${outcome.message}`);
        return;
      }
      unfinished.replaceChildren(h("span", { class: "badge warn" }, "In progress"), ` AWSPENDING on version ${pending}`);
      if (outcome.state === "unknown") lastFailure.replaceChildren(h("span", { class: "muted" }, `Not known: ${outcome.reason}`));
      const rotated = (now?: DescribeSecretResponse) => (now?.LastRotatedDate?.getTime() ?? 0) > (secret.LastRotatedDate?.getTime() ?? 0);
      watchRotation(secret, pending, outcome.state === "running", active, (now) => reload(rotated(now) ? "Rotation finished." : undefined));
    });
  }

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
      ["Unfinished rotation", unfinished],
      ["Last failure", lastFailure],
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
