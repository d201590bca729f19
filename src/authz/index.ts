// The authorization API the operations use: parse policies, build request contexts, evaluate, check policies.
export { buildContext, principalContext, type RequestFacts } from "./context";
export { accessDeniedMessage, DEFAULT_IDENTITY_POLICY, evaluate, mayAllowSomeResource } from "./evaluate";
export { actionMatches } from "./glob";
export { roleArnOf } from "./principal";
export { MESSAGES, type ParseResult, parsePolicy, type PolicyProblem } from "./policy";
export {
  CHECKS,
  isPublic,
  type LockoutCaller,
  PUBLIC_POLICY_MESSAGE,
  publicStatements,
  type ValidationError,
  type ValidationOutcome,
  validateResourcePolicy,
} from "./public";
export type * from "./types";
