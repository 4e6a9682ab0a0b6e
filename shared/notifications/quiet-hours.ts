// Quiet hours: no SMS or push reminder at night in the users' time zone. The window is "HH-HH"
// (start inclusive, end exclusive) and may wrap midnight ("22-08"); "00-00" means none. Pure.
export function inQuietHours(nowMs: number, timeZone: string, window: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(window);
  if (!m) return false;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start === end) return false;
  const hour =
    Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(nowMs))) %
    24;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}
