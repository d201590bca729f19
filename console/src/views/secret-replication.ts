// Replication: each replica's region, key, status and message (DescribeSecret's ReplicationStatus); replicate to
// another region (ReplicateSecretToRegions), remove a replica (RemoveRegionsFromReplication) and promote one to a
// standalone secret (StopReplicationToReplica, sent to the replica's own region as AWS requires).
import { RemoveRegionsFromReplicationCommand, ReplicateSecretToRegionsCommand, StopReplicationToReplicaCommand } from "@aws-sdk/client-secrets-manager";
import { secretsManager } from "../aws";
import { actionButton, field, form, formatDate, h, run, section, statusLine, table } from "../dom";
import type { SectionContext } from "./secret-page";

export function replicationSection({ secret, reload }: SectionContext): HTMLElement {
  const status = statusLine();
  const replicas = secret.ReplicationStatus ?? [];
  const isReplica = Boolean(secret.PrimaryRegion && secret.ARN && secret.ARN.split(":")[3] !== secret.PrimaryRegion);

  const act = (label: string, action: () => Promise<unknown>, done: string) =>
    actionButton(label, "secondary small", status, async () => {
      await action();
      reload(done);
    });
  const replicaArn = (region: string) => secret.ARN?.replace(/^(arn:[^:]+:secretsmanager:)[^:]*/, `$1${region}`);
  const remove = (region: string) => () => secretsManager().send(new RemoveRegionsFromReplicationCommand({ SecretId: secret.ARN, RemoveReplicaRegions: [region] }));
  const promote = (region: string) => () => secretsManager(region).send(new StopReplicationToReplicaCommand({ SecretId: replicaArn(region) }));

  const region = h("input", { name: "replicaRegion", required: true, pattern: "[a-z]{2}(-[a-z]+)+-\\d+", placeholder: "eu-west-1", spellcheck: "false" });
  const kmsKeyId = h("input", { name: "replicaKmsKeyId", spellcheck: "false", autocomplete: "off" });
  const overwrite = h("input", { type: "checkbox", name: "forceOverwriteReplicaSecret" });
  const replicate = (replicateForm: HTMLFormElement) =>
    run(status, replicateForm, async () => {
      await secretsManager().send(
        new ReplicateSecretToRegionsCommand({
          SecretId: secret.ARN,
          AddReplicaRegions: [{ Region: region.value.trim(), ...(kmsKeyId.value.trim() && { KmsKeyId: kmsKeyId.value.trim() }) }],
          ForceOverwriteReplicaSecret: overwrite.checked,
        }),
      );
      reload(`Replication to ${region.value.trim()} started.`);
    });

  return section(
    "Replication",
    isReplica ? h("p", { class: "muted" }, `This secret is a replica of the primary in ${secret.PrimaryRegion}.`) : null,
    replicas.length
      ? table(
          ["Region", "Encryption key", "Status", "Message", "Last accessed", ""],
          replicas.map((replica) => [
            replica.Region ?? "",
            replica.KmsKeyId ?? "—",
            h("span", { class: `badge ${replica.Status === "InSync" ? "ok" : replica.Status === "Failed" ? "warn" : ""}` }, replica.Status ?? "—"),
            replica.StatusMessage ?? "",
            formatDate(replica.LastAccessedDate),
            h(
              "span",
              { class: "actions" },
              act("Promote", promote(replica.Region ?? ""), `Replica in ${replica.Region} promoted to a standalone secret.`),
              act("Remove", remove(replica.Region ?? ""), `Replica in ${replica.Region} removed.`),
            ),
          ]),
          "Replicas",
        )
      : h("p", { class: "muted" }, "Not replicated to other regions."),
    !isReplica &&
      h(
        "details",
        {},
        h("summary", {}, "Replicate to another region"),
        form(
          { "aria-label": "Replicate to another region" },
          replicate,
          h("div", { class: "row" }, field("Region", region), field("Encryption key in that region (optional)", kmsKeyId)),
          field("Overwrite a secret of the same name there", overwrite),
          h("button", { type: "submit" }, "Replicate"),
        ),
      ),
    status,
  );
}
