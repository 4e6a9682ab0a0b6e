// Timer schedules as the Functions host reads them: a six-field NCRONTAB
// expression `{second} {minute} {hour} {day} {month} {day-of-week}`, or a TimeSpan `hh:mm:ss`
// interval, after `%Setting%` placeholders were resolved from the app settings.
//
// croner does the date arithmetic; this file keeps it to the NCRONTAB dialect. croner is more
// lenient than NCrontab (it accepts five fields, `?`, `L`, `W`, `#`, and day-of-week 7), and the
// real host would refuse those, so we refuse them here rather than let a schedule work locally
// and fail in Azure. NCrontab matches day-of-month AND day-of-week when both are restricted, hence
// `legacyMode: false` (croner's default ORs them like Vixie cron).
import { Cron } from 'croner';
import { timeSpanMs } from '../core/host-json.js';
import { PlaceholderError, resolvePlaceholders } from '../core/placeholders.js';

export interface Schedule {
  /** The first occurrence strictly after `after`, or undefined if the schedule never fires again. */
  next(after: Date): Date | undefined;
  /** Shown in the start-up banner. */
  readonly description: string;
}

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

export function parseSchedule(raw: string, env: NodeJS.ProcessEnv = {}, timezone = 'UTC'): Schedule {
  let expression: string;
  try {
    expression = resolvePlaceholders(raw, env).trim();
  } catch (err) {
    if (err instanceof PlaceholderError) throw new ScheduleError(err.message);
    throw err;
  }
  if (/^\d+(\.\d+)?:\d{2}:\d{2}$|^\d{1,2}:\d{2}:\d{2}$/.test(expression)) return timeSpanSchedule(expression);
  return cronSchedule(expression, timezone);
}

function timeSpanSchedule(expression: string): Schedule {
  const ms = timeSpanMs(expression, NaN);
  if (!Number.isFinite(ms) || ms <= 0) throw new ScheduleError(`"${expression}" is not a positive TimeSpan (hh:mm:ss)`);
  // The host's TimeSpan schedule fires `interval` after the last occurrence (ConstantSchedule).
  return { description: `every ${ms / 1000} s`, next: (after) => new Date(after.getTime() + ms) };
}

// Per field: value range and whether three-letter names are allowed (months, days of week).
const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC' },
  { name: 'day-of-week', min: 0, max: 6, names: 'SUN MON TUE WED THU FRI SAT' },
] as const;

const ITEM = /^(\*|[0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?(?:\/([0-9]+))?$/;

function cronSchedule(expression: string, timezone: string): Schedule {
  const parts = expression.split(/\s+/);
  if (parts.length !== 6) {
    throw new ScheduleError(
      `"${expression}" has ${parts.length} fields; NCRONTAB needs six: {second} {minute} {hour} {day} {month} {day-of-week}`,
    );
  }
  parts.forEach((part, i) => checkField(part, FIELDS[i]!, expression));
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone, legacyMode: false });
  } catch (err) {
    throw new ScheduleError(`"${expression}": ${(err as Error).message}`);
  }
  const probe = cron.nextRun(new Date());
  if (!probe) throw new ScheduleError(`"${expression}" never occurs`);
  return {
    description: `${expression} (${timezone})`,
    next: (after) => cron.nextRun(after) ?? undefined,
  };
}

function checkField(part: string, field: (typeof FIELDS)[number], expression: string): void {
  for (const item of part.split(',')) {
    const m = ITEM.exec(item);
    const bad = (why: string) => new ScheduleError(`"${expression}": ${field.name} field "${part}" ${why}`);
    if (!m) throw bad('is not NCRONTAB (use numbers, names, *, ranges a-b, lists a,b and steps /n)');
    for (const token of [m[1], m[2]]) {
      if (token === undefined || token === '*') continue;
      if (/^[0-9]+$/.test(token)) {
        const n = Number(token);
        if (n < field.min || n > field.max) throw bad(`has ${n}, outside ${field.min}-${field.max}`);
      } else if (!('names' in field) || !field.names.split(' ').includes(token.toUpperCase())) {
        throw bad(`has "${token}", which is not a ${field.name} name`);
      }
    }
    if (m[3] !== undefined && Number(m[3]) === 0) throw bad('has a step of 0');
  }
}
