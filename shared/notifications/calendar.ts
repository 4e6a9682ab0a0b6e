// The confirmation email's `.ics` attachment (RFC 5545): one VEVENT for the show, its UID the
// booking id, so a calendar that imports it twice keeps one entry.
export interface CalendarShow {
  bookingId: string;
  title: string;
  venueName: string;
  startsAt: string;
  endsAt: string;
  stampedAt: string;
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const text = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

export function showCalendar(show: CalendarShow): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Marquee//Bookings//EN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${show.bookingId}@marquee`,
    `DTSTAMP:${stamp(show.stampedAt)}`,
    `DTSTART:${stamp(show.startsAt)}`,
    `DTEND:${stamp(show.endsAt)}`,
    `SUMMARY:${text(show.title)}`,
    `LOCATION:${text(show.venueName)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
