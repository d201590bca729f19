// RotationSecrets over the objects, for built-in rotators: the same calls a rotation function makes through the API,
// made as the secret's own account. Another secret (the alternating strategy's master secret) is read by ARN, and
// only within the rotated secret's account and region.
import type { Auth } from "../authz/secret";
import { AWSCURRENT, AWSPENDING } from "../domain/stages";
import type { Result } from "../domain/result";
import { objectName, parseSecretId } from "../domain/secret-id";
import { RotationStepError } from "../rotation/rotators/rotator";
import type { RotationSecrets } from "../rotation/secrets";
import type { Env } from "../env";
import type { SecretRow } from "./store";
import type { Identity, SecretValue, Target, ValueView, WriteResult } from "./types";

/** The object's own methods the built-ins use. */
export interface OwnSecret {
  getValue(auth: Auth, target: Target, versionId?: string, stage?: string): Promise<Result<ValueView>>;
  putValue(auth: Auth, target: Target, versionId: string, value: SecretValue, versionStages?: string[]): Promise<Result<WriteResult>>;
  updateStage(auth: Auth, target: Target, label: string, removeFrom?: string, moveTo?: string): Promise<Result<Identity>>;
  stages(): ReadonlyMap<string, string>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function objectSecrets(s: SecretRow, own: OwnSecret, env: Env): RotationSecrets {
  const auth = (operation: string): Auth => ({
    principal: { arn: `arn:aws:iam::${s.accountId}:root`, accountId: s.accountId },
    now: Date.now(),
    action: `secretsmanager:${operation}`,
    named: s.arn,
  });
  const self: Target = { arn: s.arn };
  const unwrap = <T>(result: Result<T>): T => {
    if (!result.ok) throw new RotationStepError(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  return {
    async getValue(secretId, { versionId, stage }) {
      let read: Result<ValueView>;
      if (secretId === s.arn || secretId === s.name) read = await own.getValue(auth("GetSecretValue"), self, versionId, stage);
      else {
        const ref = parseSecretId(secretId, s);
        if (ref.accountId !== s.accountId || ref.region !== s.region) {
          throw new RotationStepError("A built-in rotator reads other secrets only in the rotated secret's account and Region.");
        }
        const stub = env.SECRETS.get(env.SECRETS.idFromName(objectName(ref)));
        read = await stub.getValue(auth("GetSecretValue"), { arn: secretId, suffix: ref.suffix }, versionId, stage);
      }
      if (!read.ok && read.error.code === "ResourceNotFoundException") return undefined;
      const v = unwrap(read);
      if (v.value.kind !== "string") throw new RotationStepError("The secret's value is binary; built-in rotators rotate SecretString values.");
      return { versionId: v.versionId, secretString: decoder.decode(v.value.bytes) };
    },
    async putPendingValue(_secretId, token, secretString) {
      unwrap(await own.putValue(auth("PutSecretValue"), self, token, { kind: "string", bytes: encoder.encode(secretString) }, [AWSPENDING]));
    },
    async finish(_secretId, token) {
      const current = own.stages().get(AWSCURRENT);
      if (current === token) return;
      unwrap(await own.updateStage(auth("UpdateSecretVersionStage"), self, AWSCURRENT, current, token));
    },
  };
}
