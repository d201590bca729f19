// DeleteSecret: schedule deletion after a 7–30 day recovery window (default 30), or delete at once with
// ForceDeleteWithoutRecovery. The object's alarm purges at the deadline.
import { z } from "zod";
import { Bool, RecoveryWindowInDays, SecretId } from "../domain/schemas";
import { buildArn, randomSuffix } from "../domain/secret-id";
import { AwsError } from "../protocol/errors";
import { seconds } from "../protocol/json";
import { defineOperation } from "./operation";
import { locate, unwrap } from "./secrets";

export const deleteSecret = defineOperation({
  input: z.object({ SecretId, RecoveryWindowInDays: RecoveryWindowInDays.optional(), ForceDeleteWithoutRecovery: Bool.optional() }),
  async handler(ctx, input) {
    const force = input.ForceDeleteWithoutRecovery ?? false;
    const extra = {
      "secretsmanager:RecoveryWindowInDays": input.RecoveryWindowInDays === undefined ? undefined : String(input.RecoveryWindowInDays),
      "secretsmanager:ForceDeleteWithoutRecovery": input.ForceDeleteWithoutRecovery === undefined ? undefined : String(input.ForceDeleteWithoutRecovery),
    };
    const { secret, target, ref, auth } = locate(ctx, input.SecretId, "DeleteSecret", { extra });
    if (force && input.RecoveryWindowInDays !== undefined) {
      throw new AwsError("InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const window = input.RecoveryWindowInDays;
    if (window !== undefined && (window < 7 || window > 30)) {
      throw new AwsError("InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    const result = await secret.scheduleDeletion(auth, target, window, force);
    // AWS answers a forced delete of a secret that does not exist as if it existed (DeleteSecret docs).
    if (!result.ok && force && result.error.code === "ResourceNotFoundException") {
      const arn = input.SecretId.startsWith("arn:") ? input.SecretId : buildArn(ref.region, ref.accountId, ref.name, randomSuffix());
      return { ARN: arn, Name: ref.name, DeletionDate: seconds(ctx.now) };
    }
    const deleted = unwrap(result);
    return { ARN: deleted.arn, Name: deleted.name, DeletionDate: seconds(deleted.deletionDate) };
  },
});
