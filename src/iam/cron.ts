/**
 * The five-field cron expressions `iam --reconcile-schedule` accepts, and
 * the shortest time between two of their runs. The scheduled reconcile's
 * detached timeout must stay below that gap so that two runs never overlap.
 *
 * Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12),
 * day of week (0-7, 0 and 7 are Sunday). Each is `*`, a number, a range
 * `a-b`, any of these with a step `/n`, or a comma-separated list of them.
 * When both day fields are restricted, a day matches either (as in Vixie
 * cron). Times are UTC.
 */
import { ScheduleSettingsError } from './errors';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** The days searched for runs: four years, so that a leap day is among them. */
const WINDOW_DAYS = 4 * 365 + 1;
const WINDOW_START = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

function number(text: string, field: FieldSpec): number {
  if (!/^\d{1,2}$/.test(text)) throw new ScheduleSettingsError(`${field.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < field.min || value > field.max)
    throw new ScheduleSettingsError(`${field.name}: ${value} is outside ${field.min}-${field.max}`);
  return value;
}

/** The values one field allows, and whether it was `*` (unrestricted). */
function parseField(text: string, field: FieldSpec): { readonly values: ReadonlySet<number>; readonly any: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', step, extra] = part.split('/');
    if (extra !== undefined) throw new ScheduleSettingsError(`${field.name}: "${part}" has more than one step`);
    const every = step === undefined ? 1 : number(step, { ...field, min: 1 });
    let low = field.min;
    let high = field.max;
    if (range !== '*') {
      const [from = '', to] = range.split('-');
      low = number(from, field);
      high = to === undefined ? (step === undefined ? low : field.max) : number(to, field);
      if (high < low) throw new ScheduleSettingsError(`${field.name}: the range "${range}" runs backwards`);
    }
    for (let value = low; value <= high; value += every) values.add(value);
  }
  return { values, any: text === '*' };
}

/** The parsed expression: the allowed values of each field. */
export interface CronSchedule {
  readonly expression: string;
  readonly minutesOfDay: readonly number[];
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly anyDayOfMonth: boolean;
  readonly anyDayOfWeek: boolean;
}

/** Parses a five-field cron expression; throws {@link ScheduleSettingsError} naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length)
    throw new ScheduleSettingsError(
      `"${expression.slice(0, 60)}" has ${parts.length} field(s), not 5 (minute hour day-of-month month day-of-week)`,
    );
  const [minutes, hours, days, months, weekdays] = parts.map((part, index) => parseField(part, FIELDS[index] as FieldSpec)) as [
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];
  const minutesOfDay = [...hours.values]
    .sort((a, b) => a - b)
    .flatMap((hour) => [...minutes.values].sort((a, b) => a - b).map((minute) => hour * 60 + minute));
  const daysOfWeek = new Set([...weekdays.values].map((day) => day % 7));
  return {
    expression: parts.join(' '),
    minutesOfDay,
    daysOfMonth: days.values,
    months: months.values,
    daysOfWeek,
    anyDayOfMonth: days.any,
    anyDayOfWeek: weekdays.any,
  };
}

function runsOn(schedule: CronSchedule, day: Date): boolean {
  if (!schedule.months.has(day.getUTCMonth() + 1)) return false;
  const byMonthDay = schedule.daysOfMonth.has(day.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(day.getUTCDay());
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return byMonthDay && byWeekDay;
  return byMonthDay || byWeekDay;
}

/**
 * The shortest gap, in seconds, between two consecutive runs of `schedule`
 * over four years. A schedule that runs only once in that time counts as
 * four years apart. Throws {@link ScheduleSettingsError} when it never runs.
 */
export function shortestIntervalSeconds(schedule: CronSchedule): number {
  let previous: number | undefined;
  let shortest = Number.POSITIVE_INFINITY;
  for (let index = 0; index < WINDOW_DAYS; index += 1) {
    const dayStart = WINDOW_START + index * DAY_MS;
    if (!runsOn(schedule, new Date(dayStart))) continue;
    for (const minute of schedule.minutesOfDay) {
      const time = dayStart + minute * 60_000;
      if (previous !== undefined) shortest = Math.min(shortest, time - previous);
      previous = time;
    }
  }
  if (previous === undefined) throw new ScheduleSettingsError(`"${schedule.expression}" never runs`);
  return Number.isFinite(shortest) ? shortest / 1000 : (WINDOW_DAYS * DAY_MS) / 1000;
}
