// RotationRules → validation errors and NextRotationDate, against a controlled clock (every base time is fixed).
import { describe, expect, it } from "vitest";
import {
  BOTH_SCHEDULES,
  describeRules,
  dueTime,
  NO_SCHEDULE,
  nextRotationDate,
  nextWindow,
  parseRotationRules,
  RotationRulesInput,
  TOO_OFTEN,
  WINDOW_OVERLAP,
  type RotationRules,
} from "../../src/rotation/schedule";

const iso = (t: number) => new Date(t).toISOString().replace(".000", "");
const at = (text: string) => Date.parse(text);

function schedule(rules: RotationRules) {
  const parsed = parseRotationRules(rules);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe("NextRotationDate", () => {
  // [rules, last rotation (or when configured), window start, NextRotationDate]
  const table: [RotationRules, string, string, string][] = [
    [{ AutomaticallyAfterDays: 1 }, "2026-03-10T15:20:00Z", "2026-03-11T00:00:00Z", "2026-03-11T23:59:59Z"],
    [{ AutomaticallyAfterDays: 30 }, "2026-03-10T00:00:00Z", "2026-04-09T00:00:00Z", "2026-04-09T23:59:59Z"],
    [{ AutomaticallyAfterDays: 1000 }, "2026-01-01T12:00:00Z", "2028-09-27T00:00:00Z", "2028-09-27T23:59:59Z"],
    [{ AutomaticallyAfterDays: 7, Duration: "3h" }, "2026-03-10T23:59:59Z", "2026-03-17T00:00:00Z", "2026-03-17T02:59:59Z"],
    [{ ScheduleExpression: "rate(10 days)" }, "2026-02-25T08:00:00Z", "2026-03-07T00:00:00Z", "2026-03-07T23:59:59Z"],
    [{ ScheduleExpression: "rate(1 day)", Duration: "24h" }, "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z", "2027-01-01T23:59:59Z"],
    [{ ScheduleExpression: "rate(4 hours)" }, "2026-03-10T04:10:00Z", "2026-03-10T08:00:00Z", "2026-03-10T08:59:59Z"],
    [{ ScheduleExpression: "rate(4 hours)", Duration: "4h" }, "2026-03-10T21:30:00Z", "2026-03-11T00:00:00Z", "2026-03-11T03:59:59Z"],
    // rate(5 hours) opens at 0, 5, 10, 15, 20 each day; never sooner than five hours after the last window opened.
    [{ ScheduleExpression: "rate(5 hours)" }, "2026-03-10T21:30:00Z", "2026-03-11T05:00:00Z", "2026-03-11T05:59:59Z"],
    [{ ScheduleExpression: "rate(12 hours)" }, "2026-03-10T11:59:59Z", "2026-03-10T12:00:00Z", "2026-03-10T12:59:59Z"],
    [{ ScheduleExpression: "cron(0 10 * * ? *)" }, "2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", "2026-03-10T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 10 * * ? *)" }, "2026-03-10T10:30:00Z", "2026-03-11T10:00:00Z", "2026-03-11T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 10 * * ? *)", Duration: "2h" }, "2026-03-10T10:30:00Z", "2026-03-11T10:00:00Z", "2026-03-11T11:59:59Z"],
    [{ ScheduleExpression: "cron(0 18 ? * SAT *)" }, "2026-03-10T00:00:00Z", "2026-03-14T18:00:00Z", "2026-03-14T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 8 1 * ? *)" }, "2026-03-01T09:00:00Z", "2026-04-01T08:00:00Z", "2026-04-01T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 17 L * ? *)" }, "2026-02-01T00:00:00Z", "2026-02-28T17:00:00Z", "2026-02-28T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 17 L * ? *)" }, "2028-02-01T00:00:00Z", "2028-02-29T17:00:00Z", "2028-02-29T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 8 ? * MON-FRI *)" }, "2026-03-13T09:00:00Z", "2026-03-16T08:00:00Z", "2026-03-16T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 16 1,15 * ? *)", Duration: "2h" }, "2026-03-02T00:00:00Z", "2026-03-15T16:00:00Z", "2026-03-15T17:59:59Z"],
    [{ ScheduleExpression: "cron(0 0 ? * SUN#1 *)" }, "2026-03-02T00:00:00Z", "2026-04-05T00:00:00Z", "2026-04-05T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 1 ? 1/3 SUN#1 *)" }, "2026-02-01T02:00:00Z", "2026-04-05T01:00:00Z", "2026-04-05T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 1 ? JAN,JUL 6L *)" }, "2026-02-01T00:00:00Z", "2026-07-31T01:00:00Z", "2026-07-31T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 3 SUNL * ? *)" }, "2026-03-01T00:00:00Z", "2026-03-29T03:00:00Z", "2026-03-29T23:59:59Z"],
    [{ ScheduleExpression: "cron(0 /8 * * ? *)" }, "2026-03-10T08:20:00Z", "2026-03-10T16:00:00Z", "2026-03-10T16:59:59Z"],
    [{ ScheduleExpression: "cron(0 8/8 * * ? *)" }, "2026-03-10T16:20:00Z", "2026-03-11T08:00:00Z", "2026-03-11T08:59:59Z"],
    [{ ScheduleExpression: "cron(0 4/12 * * ? *)", Duration: "4h" }, "2026-03-10T05:00:00Z", "2026-03-10T16:00:00Z", "2026-03-10T19:59:59Z"],
    [{ ScheduleExpression: "cron(0 0 29 2 ? *)" }, "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z", "2028-02-29T23:59:59Z"],
  ];
  it.each(table)("%j after %s opens %s", (rules, base, start, next) => {
    const window = nextWindow(schedule(rules), at(base));
    expect(iso(window.start)).toBe(start);
    expect(iso(nextRotationDate(window))).toBe(next);
  });

  it("starts the rotation inside the window, spread by the draw", () => {
    const window = nextWindow(schedule({ ScheduleExpression: "cron(0 10 * * ? *)", Duration: "2h" }), at("2026-03-10T00:00:00Z"));
    expect(iso(dueTime(window, 0))).toBe("2026-03-10T10:00:00Z");
    expect(dueTime(window, 0.5)).toBe(at("2026-03-10T10:59:59.500Z"));
    expect(dueTime(window, 0.999999)).toBeLessThan(window.end);
  });
});

describe("RotationRules as DescribeSecret reports them", () => {
  const table: [RotationRules, string, RotationRules][] = [
    [{ AutomaticallyAfterDays: 30 }, "2026-03-10T10:00:00Z", { AutomaticallyAfterDays: 30 }],
    [{ AutomaticallyAfterDays: 7, Duration: "3h" }, "2026-03-10T10:00:00Z", { AutomaticallyAfterDays: 7, Duration: "3h" }],
    [{ ScheduleExpression: "rate(10 days)" }, "2026-03-10T10:00:00Z", { AutomaticallyAfterDays: 10, ScheduleExpression: "rate(10 days)" }],
    [{ ScheduleExpression: "rate(6 hours)" }, "2026-03-10T10:00:00Z", { AutomaticallyAfterDays: 1, ScheduleExpression: "rate(6 hours)" }],
    [
      { ScheduleExpression: "cron(0 16 1,15 * ? *)", Duration: "2h" },
      "2026-03-13T16:30:00Z",
      { AutomaticallyAfterDays: 2, Duration: "2h", ScheduleExpression: "cron(0 16 1,15 * ? *)" },
    ],
    [{ ScheduleExpression: "cron(0 18 ? * SAT *)" }, "2026-03-14T18:30:00Z", { AutomaticallyAfterDays: 7, ScheduleExpression: "cron(0 18 ? * SAT *)" }],
  ];
  it.each(table)("%j after %s", (rules, base, described) => {
    expect(describeRules(schedule(rules), at(base))).toEqual(described);
  });
});

describe("invalid rules", () => {
  const expressionError = (expression: string, reason: string) => `The ScheduleExpression "${expression}" is not valid: ${reason}.`;
  const table: [RotationRules, string][] = [
    [{ AutomaticallyAfterDays: 3, ScheduleExpression: "rate(3 days)" }, BOTH_SCHEDULES],
    [{}, NO_SCHEDULE],
    [{ Duration: "3h" }, NO_SCHEDULE],
    [{ AutomaticallyAfterDays: 3, Duration: "0h" }, `The Duration "0h" is not valid: it must be between 1h and 24h.`],
    [{ AutomaticallyAfterDays: 3, Duration: "25h" }, `The Duration "25h" is not valid: it must be between 1h and 24h.`],
    [{ ScheduleExpression: "rate(3 hours)" }, TOO_OFTEN],
    [{ ScheduleExpression: "rate(0 days)" }, expressionError("rate(0 days)", "the number of days must be between 1 and 1000")],
    [{ ScheduleExpression: "rate(1001 days)" }, expressionError("rate(1001 days)", "the number of days must be between 1 and 1000")],
    [{ ScheduleExpression: "rate(24 hours)" }, expressionError("rate(24 hours)", "an interval of a day or more is written in days")],
    [{ ScheduleExpression: "rate(5 minutes)" }, expressionError("rate(5 minutes)", "use rate(<number> hours) or rate(<number> days)")],
    [{ ScheduleExpression: "rate(5 hours)", Duration: "5h" }, WINDOW_OVERLAP],
    [{ ScheduleExpression: "rate(4 hours)", Duration: "5h" }, WINDOW_OVERLAP],
    [{ ScheduleExpression: "every day" }, expressionError("every day", "use a rate() or cron() expression")],
    [{ ScheduleExpression: "cron(0 10 * * ?)" }, expressionError("cron(0 10 * * ?)", "a cron expression has six fields: minutes hours day-of-month month day-of-week year")],
    [{ ScheduleExpression: "cron(30 10 * * ? *)" }, expressionError("cron(30 10 * * ? *)", "minutes must be 0, since rotation windows open on the hour")],
    [{ ScheduleExpression: "cron(0 10 * * ? 2027)" }, expressionError("cron(0 10 * * ? 2027)", "the year must be *")],
    [{ ScheduleExpression: "cron(0 10 * * * *)" }, expressionError("cron(0 10 * * * *)", "exactly one of day-of-month and day-of-week must be ?")],
    [{ ScheduleExpression: "cron(0 10 ? * ? *)" }, expressionError("cron(0 10 ? * ? *)", "exactly one of day-of-month and day-of-week must be ?")],
    [{ ScheduleExpression: "cron(0 24 * * ? *)" }, expressionError("cron(0 24 * * ? *)", 'the hours field "24" has a value outside 0-23')],
    [{ ScheduleExpression: "cron(0 10 32 * ? *)" }, expressionError("cron(0 10 32 * ? *)", 'the day-of-month field "32" has a value outside 1-31')],
    [{ ScheduleExpression: "cron(0 10 ? * 8 *)" }, expressionError("cron(0 10 ? * 8 *)", 'the day-of-week field "8" has a value outside 1-7')],
    [{ ScheduleExpression: "cron(0 10 ? * MON#6 *)" }, expressionError("cron(0 10 ? * MON#6 *)", 'the day-of-week field "MON#6" is malformed')],
    [{ ScheduleExpression: "cron(0 10 * FOO ? *)" }, expressionError("cron(0 10 * FOO ? *)", 'the month field "FOO" has a value outside 1-12')],
    [{ ScheduleExpression: "cron(0 10 * 12-1 ? *)" }, expressionError("cron(0 10 * 12-1 ? *)", 'the month field "12-1" has a range that runs backwards')],
    [{ ScheduleExpression: "cron(0 10 * * ? *)", Duration: "15h" }, WINDOW_OVERLAP],
    [{ ScheduleExpression: "cron(0 10 * * ? *)", Duration: "14h" }, ""],
    [{ ScheduleExpression: "cron(0 0/4 * * ? *)" }, ""],
    [{ ScheduleExpression: "cron(0 0/3 * * ? *)" }, TOO_OFTEN],
    [{ ScheduleExpression: "cron(0 22,1 * * ? *)" }, TOO_OFTEN],
    [{ ScheduleExpression: "cron(0 2,10 * * ? *)", Duration: "9h" }, WINDOW_OVERLAP],
    [{ ScheduleExpression: "cron(0 0 30 2 ? *)" }, expressionError("cron(0 0 30 2 ? *)", "it names no day that exists")],
  ];
  it.each(table)("%j → %s", (rules, message) => {
    const parsed = parseRotationRules(rules);
    if (message === "") expect(parsed.ok).toBe(true);
    else expect(parsed).toEqual({ ok: false, error: { code: "InvalidParameterException", message } });
  });

  it("leaves the model's constraints to the request schema", () => {
    expect(RotationRulesInput.safeParse({ AutomaticallyAfterDays: 0 }).success).toBe(false);
    expect(RotationRulesInput.safeParse({ AutomaticallyAfterDays: 1001 }).success).toBe(false);
    expect(RotationRulesInput.safeParse({ Duration: "3" }).success).toBe(false);
    // The model's patterns are not anchored (Smithy): a value fails only when no character fits.
    expect(RotationRulesInput.safeParse({ ScheduleExpression: ";;" }).success).toBe(false);
    expect(RotationRulesInput.safeParse({ AutomaticallyAfterDays: 1000, Duration: "24h" }).success).toBe(true);
  });
});
