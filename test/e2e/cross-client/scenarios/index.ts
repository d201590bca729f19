// The one scenario set every driver runs. Add a scenario to a file here (or a new file) and all three clients run it.
import type { Scenario } from "../types";
import { createScenarios } from "./create";
import { lifecycleScenarios } from "./lifecycle";
import { listScenarios } from "./lists";
import { miscScenarios } from "./misc";
import { policyScenarios } from "./policies";
import { rotationScenarios } from "./rotation";
import { replicationScenarios } from "./replication";
import { valueScenarios } from "./values";
import { versionScenarios } from "./versions";

export const SCENARIOS: Scenario[] = [
  ...createScenarios,
  ...valueScenarios,
  ...versionScenarios,
  ...lifecycleScenarios,
  ...miscScenarios,
  ...listScenarios,
  ...policyScenarios,
  ...rotationScenarios,
  ...replicationScenarios,
];
