// Display formatting: money in minor units, times in the city's zone, relative days.
// Intl formatters are built once per set of options and kept: building one costs far more than
// formatting with it (the stadium's overview formats a price for each of its stands, and a cold
// profile of /shows/{id} had dateLong and money among its costliest functions).
import type { Money } from './api/types';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const fractionDigits = (currency: string) =>
  numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

const LOCALE: Record<string, string> = { INR: 'en-IN', AED: 'en-AE', SGD: 'en-SG' };

export function money(m: Money, options: { whole?: boolean } = {}): string {
  const digits = fractionDigits(m.currency);
  const value = m.minor / 10 ** digits;
  const whole = options.whole ?? Number.isInteger(value);
  return numberFormat(LOCALE[m.currency] ?? 'en', {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: whole ? 0 : digits,
  }).format(value);
}

export function time(iso: string, timeZone?: string): string {
  return dateFormat('en-IN', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone }).format(new Date(iso));
}

export function dateLong(iso: string, timeZone?: string): string {
  return dateFormat('en-IN', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(new Date(iso));
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function localToday(timeZone: string, now = Date.now()): string {
  const parts = dateFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "Today", "Tomorrow" or the weekday, plus day and month, for a YYYY-MM-DD date. */
export function dayLabel(date: string, today: string): { top: string; day: string; month: string } {
  const d = new Date(`${date}T12:00:00Z`);
  const top =
    date === today
      ? 'Today'
      : date === addDays(today, 1)
        ? 'Tmrw'
        : dateFormat('en', { weekday: 'short', timeZone: 'UTC' }).format(d);
  return {
    top,
    day: String(d.getUTCDate()),
    month: dateFormat('en', { month: 'short', timeZone: 'UTC' }).format(d),
  };
}

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h ${m.toString().padStart(2, '0')}m` : `${m}m`;
}
