// A driver runs scenario steps through one real AWS client and reports each step's normalised result.
import type { Credentials, Step, StepResult } from "../cross-client/types";

/** What a driver receives: steps without their expectations, which stay in the test process. */
export type WireStep = Omit<Step, "expect">;

export interface Batch {
  endpoint: string;
  region: string;
  credentials: Credentials;
  scenarios: { id: string; steps: WireStep[] }[];
}

export interface Driver {
  readonly name: string;
  /** Whether the client reports which errors it raised as modeled exception classes. */
  readonly reportsModeled: boolean;
  /** Why the client cannot run on this machine, or undefined when it can. */
  unavailable(): string | undefined;
  /** Runs every scenario (its steps in order) and returns the results by scenario id. */
  run(batch: Batch): Promise<Record<string, StepResult[]>>;
}

export const toWire = ({ expect: _, ...step }: Step): WireStep => step;
