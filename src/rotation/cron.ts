// Secrets Manager's cron() dialect (six fields: minutes hours day-of-month month day-of-week year, UTC), parsed into
// explicit sets. Pure. Narrower than Quartz and different from Cloudflare's five-field cron: minutes must be 0, the
// year *, one of the day fields ?, days of the week 1-7 = SUN-SAT, `L` and `#` for "last" and "n-th".
import { fail, ok, type Result } from "../domain/result";

export interface Cron {
  /** Hours of the day whose windows open (sorted, 0-23). */
  hours: number[];
  months: Set<number>;
  /** Whether a date (its UTC day) is a rotation day, month included. */
  matchesDay(date: Date): boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type Parsed<T> = Result<T>;
const invalid = (reason: string) => fail({ code: "InvalidParameterException", message: reason });

/** A value of a field: a number in range, or a name (JAN, SUN) when the field has names. */
function value(text: string, min: number, max: number, names?: string[]): number | undefined {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + min;
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** `*`, `a`, `a-b`, each optionally `/step`, comma-separated; `/step` alone starts at the minimum. */
function range(field: string, label: string, min: number, max: number, names?: string[]): Parsed<number[]> {
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const match = /^([^/]*)(?:\/(\d{1,4}))?$/.exec(item);
    if (!match) return invalid(`the ${label} field "${field}" is malformed`);
    const [, base = "", stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return invalid(`the ${label} field "${field}" has a zero increment`);
    let from: number | undefined;
    let to: number | undefined;
    if (base === "*" || (base === "" && stepText !== undefined)) [from, to] = [min, max];
    else if (base.includes("-")) {
      const [a = "", b = "", ...rest] = base.split("-");
      if (rest.length > 0) return invalid(`the ${label} field "${field}" is malformed`);
      [from, to] = [value(a, min, max, names), value(b, min, max, names)];
    } else {
      from = value(base, min, max, names);
      to = stepText === undefined ? from : max;
    }
    if (from === undefined || to === undefined) return invalid(`the ${label} field "${field}" has a value outside ${min}-${max}`);
    if (from > to) return invalid(`the ${label} field "${field}" has a range that runs backwards`);
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return ok([...out].sort((a, b) => a - b));
}

const utcDaysInMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();

/** Day-of-month: `?`, `L`, `<DAY>L` (last such weekday), or a range of 1-31. */
function dayOfMonth(field: string): Parsed<((d: Date) => boolean) | undefined> {
  if (field === "?") return ok(undefined);
  if (field.toUpperCase() === "L") return ok((d) => d.getUTCDate() === utcDaysInMonth(d));
  const last = /^(\w+)L$/i.exec(field);
  if (last) {
    const day = value(last[1] as string, 1, 7, DAYS);
    if (day === undefined) return invalid(`the day-of-month field "${field}" is malformed`);
    return ok((d) => d.getUTCDay() === day - 1 && d.getUTCDate() + 7 > utcDaysInMonth(d));
  }
  const days = range(field, "day-of-month", 1, 31);
  if (!days.ok) return days;
  const set = new Set(days.value);
  return ok((d) => set.has(d.getUTCDate()));
}

/** Day-of-week: `?`, `L` (Saturday), `<day>L` (last such day of the month), `<day>#<n>`, or a range of 1-7. */
function dayOfWeek(field: string): Parsed<((d: Date) => boolean) | undefined> {
  if (field === "?") return ok(undefined);
  if (field.toUpperCase() === "L") return ok((d) => d.getUTCDay() === 6);
  const nth = /^(\w+)#(\d)$/.exec(field);
  const last = /^(\w+)L$/i.exec(field);
  const named = nth ?? last;
  if (named) {
    const day = value(named[1] as string, 1, 7, DAYS);
    const n = nth ? Number(nth[2]) : 0;
    if (day === undefined || (nth && (n < 1 || n > 5))) return invalid(`the day-of-week field "${field}" is malformed`);
    if (nth) return ok((d) => d.getUTCDay() === day - 1 && Math.ceil(d.getUTCDate() / 7) === n);
    return ok((d) => d.getUTCDay() === day - 1 && d.getUTCDate() + 7 > utcDaysInMonth(d));
  }
  const days = range(field, "day-of-week", 1, 7, DAYS);
  if (!days.ok) return days;
  const set = new Set(days.value.map((day) => day - 1));
  return ok((d) => set.has(d.getUTCDay()));
}

/** Parses the inside of `cron(...)`. Reasons are sentence fragments for the caller's message. */
export function parseCron(body: string): Result<Cron> {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return invalid("a cron expression has six fields: minutes hours day-of-month month day-of-week year");
  const [minutes, hoursField, domField, monthField, dowField, year] = fields as [string, string, string, string, string, string];
  if (minutes !== "0") return invalid("minutes must be 0, since rotation windows open on the hour");
  if (year !== "*") return invalid("the year must be *");
  if ((domField === "?") === (dowField === "?")) {
    return invalid("exactly one of day-of-month and day-of-week must be ?");
  }
  const hours = range(hoursField, "hours", 0, 23);
  if (!hours.ok) return hours;
  const months = range(monthField, "month", 1, 12, MONTHS);
  if (!months.ok) return months;
  const dom = dayOfMonth(domField);
  if (!dom.ok) return dom;
  const dow = dayOfWeek(dowField);
  if (!dow.ok) return dow;
  const day = (dom.value ?? dow.value) as (d: Date) => boolean;
  const monthSet = new Set(months.value);
  return ok({
    hours: hours.value,
    months: monthSet,
    matchesDay: (d) => monthSet.has(d.getUTCMonth() + 1) && day(d),
  });
}
