// RotationRules: validation as AWS documents it, rotation windows, NextRotationDate and the AutomaticallyAfterDays
// that DescribeSecret reports for a ScheduleExpression. Pure; every time is epoch milliseconds, UTC.
import { z } from "zod";
import { fail, ok, type Result } from "../domain/result";
import { parseCron, type Cron } from "./cron";

/** RotationRulesType with the model's constraints (violations are ValidationException, as for every member). */
export const RotationRulesInput = z.object({
  AutomaticallyAfterDays: z.number().int().min(1).max(1000).optional(),
  Duration: z.string().min(2).max(3).regex(/[0-9]+h/).optional(),
  ScheduleExpression: z.string().min(1).max(256).regex(/[0-9A-Za-z\(\)#\?\*\-\/, ]+/).optional(),
});
export type RotationRules = z.infer<typeof RotationRulesInput>;

/** How windows recur: every N days or hours after the last rotation, or on a calendar (cron). */
export type Cadence = { kind: "days"; days: number } | { kind: "hours"; hours: number } | { kind: "cron"; cron: Cron };

export interface Schedule {
  rules: RotationRules;
  cadence: Cadence;
  /** Hours a window stays open when it opens at `hour` (Duration, else AWS's default for the schedule). */
  windowHours(hour: number): number;
}

/** A rotation window: the rotation runs at some time in [start, end). */
export interface Window {
  start: number;
  end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN_INTERVAL_HOURS = 4;

export const BOTH_SCHEDULES = "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.";
export const NO_SCHEDULE = "RotationRules must include AutomaticallyAfterDays or ScheduleExpression.";
export const WINDOW_OVERLAP = "The rotation window must not extend into the next rotation window or the next UTC day.";
export const TOO_OFTEN = "You can rotate a secret at most every four hours.";

const invalid = (message: string) => fail({ code: "InvalidParameterException", message });
const badExpression = (expression: string, reason: string) =>
  invalid(`The ScheduleExpression ${JSON.stringify(expression)} is not valid: ${reason}.`);

/** Checks rules that passed the model's constraints against AWS's schedule grammar and window limits. */
export function parseRotationRules(rules: RotationRules): Result<Schedule> {
  const { AutomaticallyAfterDays: days, ScheduleExpression: expression, Duration: durationText } = rules;
  if (days !== undefined && expression !== undefined) return invalid(BOTH_SCHEDULES);
  if (days === undefined && expression === undefined) return invalid(NO_SCHEDULE);

  let duration: number | undefined;
  if (durationText !== undefined) {
    duration = Number(/^(\d+)h$/.exec(durationText)?.[1]);
    if (!(duration >= 1 && duration <= 24)) {
      return invalid(`The Duration ${JSON.stringify(durationText)} is not valid: it must be between 1h and 24h.`);
    }
  }

  const cadence: Result<Cadence> = expression === undefined ? ok({ kind: "days", days: days as number }) : parseExpression(expression);
  if (!cadence.ok) return cadence;
  const c = cadence.value;
  // Hourly schedules close after one hour by default, daily ones at the end of the UTC day.
  const hourly = c.kind === "hours" || (c.kind === "cron" && c.cron.hours.length > 1);
  const schedule: Schedule = { rules, cadence: c, windowHours: (hour) => duration ?? (hourly ? 1 : 24 - hour) };

  const starts = c.kind === "cron" ? c.cron.hours : c.kind === "hours" ? gridHours(c.hours) : [0];
  for (const [i, hour] of starts.entries()) {
    const next = starts[i + 1] ?? 24;
    if (hour + schedule.windowHours(hour) > next) return invalid(WINDOW_OVERLAP);
  }
  return ok(schedule);
}

function parseExpression(expression: string): Result<Cadence> {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) {
    const match = /^\s*(\d{1,4})\s+(hours?|days?)\s*$/.exec(rate[1] as string);
    if (!match) return badExpression(expression, "use rate(<number> hours) or rate(<number> days)");
    const n = Number(match[1]);
    if (match[2]?.startsWith("day")) {
      return n >= 1 && n <= 1000 ? ok({ kind: "days", days: n }) : badExpression(expression, "the number of days must be between 1 and 1000");
    }
    if (n < MIN_INTERVAL_HOURS) return invalid(TOO_OFTEN);
    if (n > 23) return badExpression(expression, "an interval of a day or more is written in days");
    return ok({ kind: "hours", hours: n });
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return badExpression(expression, "use a rate() or cron() expression");
  const parsed = parseCron(cron[1] as string);
  if (!parsed.ok) return badExpression(expression, parsed.error.message);
  const { hours } = parsed.value;
  // Consecutive windows, also across midnight into a following rotation day, must be four hours apart.
  const gaps = hours.map((hour, i) => (hours[i + 1] ?? (hours[0] as number) + 24) - hour);
  if (hours.length > 1 && Math.min(...gaps) < MIN_INTERVAL_HOURS) return invalid(TOO_OFTEN);
  if (!neverMatches(parsed.value)) return ok({ kind: "cron", cron: parsed.value });
  return badExpression(expression, "it names no day that exists");
}

/** The hours at which an hourly rate()'s windows open: from midnight, every N hours, restarting each day. */
const gridHours = (every: number) => Array.from({ length: Math.ceil(24 / every) }, (_, k) => k * every);

/** A calendar with no day in eight years (two leap cycles) names none at all (e.g. 30 February). */
function neverMatches(cron: Cron): boolean {
  const from = Date.UTC(2024, 0, 1);
  for (let day = from; day < from + 8 * 366 * DAY; day += DAY) if (cron.matchesDay(new Date(day))) return false;
  return true;
}

const startOfDay = (t: number) => Math.floor(t / DAY) * DAY;

/**
 * The next rotation window after `base`: the last rotation (a value written by hand counts for `days` cadences) or,
 * before any, when rotation was configured. Cadences in days and hours count from the window `base` falls in;
 * calendars take the first window that opens after `base`.
 */
export function nextWindow(schedule: Schedule, base: number): Window {
  const window = (start: number): Window => ({ start, end: start + schedule.windowHours((start - startOfDay(start)) / HOUR) * HOUR });
  const { cadence } = schedule;
  if (cadence.kind === "days") return window(startOfDay(base) + cadence.days * DAY);
  if (cadence.kind === "hours") {
    const every = cadence.hours;
    const target = startOfDay(base) + Math.floor((base - startOfDay(base)) / (every * HOUR)) * every * HOUR + every * HOUR;
    const day = startOfDay(target);
    const k = Math.ceil((target - day) / (every * HOUR));
    return window(k * every < 24 ? day + k * every * HOUR : day + DAY);
  }
  for (let day = startOfDay(base); ; day += DAY) {
    if (!cadence.cron.matchesDay(new Date(day))) continue;
    const hour = cadence.cron.hours.find((h) => day + h * HOUR > base);
    if (hour !== undefined) return window(day + hour * HOUR);
  }
}

/** NextRotationDate: the last second of the window ("rotation will occur on or before this date"). */
export const nextRotationDate = (window: Window): number => window.end - 1000;

/** When to start the rotation inside its window, given a uniform draw in [0, 1): spreads secrets over the window. */
export const dueTime = (window: Window, draw: number): number => window.start + Math.floor(draw * (window.end - window.start - 1000));

/**
 * The AutomaticallyAfterDays DescribeSecret reports: as given, or for a ScheduleExpression the whole UTC days from the
 * last rotation to the next window (at least 1), recomputed after each rotation as AWS does.
 */
export function reportedAutomaticallyAfterDays(schedule: Schedule, base: number): number {
  if (schedule.rules.AutomaticallyAfterDays !== undefined) return schedule.rules.AutomaticallyAfterDays;
  return Math.max(1, Math.round((startOfDay(nextWindow(schedule, base).start) - startOfDay(base)) / DAY));
}

/** RotationRules as DescribeSecret and ListSecrets return them. */
export function describeRules(schedule: Schedule, base: number): RotationRules {
  const { Duration, ScheduleExpression } = schedule.rules;
  return { AutomaticallyAfterDays: reportedAutomaticallyAfterDays(schedule, base), ...(Duration && { Duration }), ...(ScheduleExpression && { ScheduleExpression }) };
}
