// Shared zod atoms, one per shape of the API model (secretsmanager-2017-10-17), with its min/max/pattern.
// Field names and nesting of each operation's input live in its operations/*.ts file.
import { z } from "zod";

const text = (min: number, max: number) => z.string().min(min).max(max);

export const SecretId = text(1, 2048);
export const Name = text(1, 512);
export const ClientRequestToken = text(32, 64);
export const Description = z.string().max(2048);
export const KmsKeyId = text(0, 2048);
export const SecretTypeName = text(0, 256);
export const SecretString = text(1, 65536);
export const VersionId = text(32, 64);
export const VersionStage = text(1, 256);
export const VersionStages = z.array(VersionStage).min(1).max(20);
export const Bool = z.boolean();
export const NextToken = text(1, 4096);
export const MaxResults = z.number().int().min(1).max(100);
export const RecoveryWindowInDays = z.number().int();
/** NonEmptyResourcePolicyType. */
export const ResourcePolicy = text(1, 20480);

/** SecretBinary travels base64-encoded; validated as bytes (1..65536) after decoding. */
export const SecretBinary = z
  .string()
  .transform((value, ctx) => {
    const bytes = decodeBase64(value);
    if (!bytes) {
      ctx.addIssue({ code: "custom", message: "SERIALIZATION", input: value });
      return z.NEVER;
    }
    return bytes;
  })
  .pipe(z.instanceof(Uint8Array).refine((b) => b.length >= 1, { message: "Member must have length greater than or equal to 1" }).refine((b) => b.length <= 65536, { message: "Member must have length less than or equal to 65536" }));

/** A Region code (RegionType). */
export const Region = text(1, 128).regex(/^([a-z]+-)+\d+$/);
export const ReplicaRegion = z.object({ Region: Region.optional(), KmsKeyId: KmsKeyId.optional() });
export const AddReplicaRegions = z.array(ReplicaRegion).min(1);

export const TagKey = text(1, 128);
export const TagValue = text(0, 256);
export const Tag = z.object({ Key: TagKey, Value: TagValue });
export const Tags = z.array(Tag);
export const TagKeys = z.array(TagKey);

function decodeBase64(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) return undefined;
  try {
    return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
