// Result values returned across the Durable Object boundary instead of thrown domain errors.
import type { DomainError } from "./errors";

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: DomainError): Result<T> => ({ ok: false, error });
