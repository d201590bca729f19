// The shape every operation file exports: its zod input schema and its handler.
import type { z } from "zod";
import type { AuditSlot, PreparedCall } from "../audit/prepared-call";
import type { Caller, Env } from "../env";

export interface Context {
  env: Env;
  caller: Caller;
  requestId: string;
  now: number;
  /** A state-changing call's prepared record and its slot (audit/prepared-call.ts). */
  audit?: { call: PreparedCall; slot: AuditSlot };
}

export interface Operation<S extends z.ZodType = z.ZodType> {
  input: S;
  handler(ctx: Context, input: z.output<S>): Promise<object>;
}

/** Ties a handler's input type to its schema. */
export const defineOperation = <S extends z.ZodType>(op: Operation<S>): Operation<S> => op;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers differ in input type; dispatch validates first.
export type AnyOperation = Operation<any>;
