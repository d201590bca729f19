// A secret's page: DescribeSecret once, then its sections (value, versions and labels, tags, resource policy,
// rotation, replication, settings). Actions reload the page; leaving it hides the value again.
import { DescribeSecretCommand, type DescribeSecretResponse } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { details, formatDate, h, run, statusLine } from "../dom";
import { manageSection } from "./secret-manage";
import { policySection } from "./secret-policy";
import { replicationSection } from "./secret-replication";
import { rotationSection } from "./secret-rotation";
import { tagsSection } from "./secret-tags";
import { valueSection } from "./secret-value";
import { versionsSection } from "./secret-versions";

/** What a section gets: the secret as DescribeSecret answered, and a way to reload the page after an action. */
export interface SectionContext {
  secret: DescribeSecretResponse;
  /** Reloads the page, then shows `message` (the outcome of the action) at its top. */
  reload(message?: string): void;
  /** Whether this rendering is still on screen (no reload since, and the user has not left the page). */
  active(): boolean;
}

export function secretView(root: HTMLElement, secretId: string): () => void {
  let hideValue: (() => void) | undefined;
  const status = statusLine();
  const body = h("div", { class: "secret-body" });
  root.append(h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/" }, "← All secrets")), status, body);

  let latest = 0;
  let left = false;
  const load = async (message?: string) => {
    hideValue?.();
    const generation = ++latest;
    const secret = await run(status, null, () => secretsManager().send(new DescribeSecretCommand({ SecretId: secretId })));
    // Two actions in quick succession: only the last reload renders, never an older answer over a newer one.
    if (generation !== latest) return;
    if (!secret) return body.replaceChildren();
    const context: SectionContext = { secret, reload: (next) => void load(next), active: () => generation === latest && !left };
    const value = valueSection(context);
    hideValue = value.hide;
    const heading = h("h1", { tabindex: -1 }, secret.Name ?? secretId);
    body.replaceChildren(
      h(
        "div",
        { class: "page-head" },
        heading,
        h(
          "div",
          { class: "actions" },
          secret.DeletedDate ? h("span", { class: "badge warn" }, "Scheduled for deletion") : h("span", { class: "badge ok" }, "Active"),
          // The trail names a secret by its ARN (LookupEvents' ResourceName).
          h("a", { class: "button secondary", href: `#/audit/${encodeURIComponent(secret.ARN ?? "")}` }, "Audit events"),
        ),
      ),
      h("section", { class: "card", "aria-label": "Overview" }, overview(secret)),
      // A secret scheduled for deletion refuses most operations until it is restored: only restore is offered.
      ...(secret.DeletedDate
        ? [manageSection(context)]
        : [
            value.element,
            h("div", { class: "columns" }, versionsSection(context), tagsSection(context)),
            rotationSection(context),
            replicationSection(context),
            policySection(context),
            manageSection(context),
          ]),
    );
    if (message) status.ok(message);
  };
  void load();
  return () => {
    left = true;
    hideValue?.();
  };
}

function overview(secret: DescribeSecretResponse): HTMLDListElement {
  return details([
    ["ARN", h("code", {}, secret.ARN ?? "")],
    ["Description", secret.Description],
    ["Encryption key", secret.KmsKeyId ?? "aws/secretsmanager (default)"],
    ["Created", formatDate(secret.CreatedDate)],
    ["Last changed", formatDate(secret.LastChangedDate)],
    ["Last accessed", formatDate(secret.LastAccessedDate)],
    ["Primary region", secret.PrimaryRegion],
    ["Owning service", secret.OwningService],
    ...(secret.DeletedDate ? ([["Deleted", formatDate(secret.DeletedDate)]] as [string, string][]) : []),
  ]);
}
