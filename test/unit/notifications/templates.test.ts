// The templates: every kind renders in both languages with the facts escaped in the HTML, and the
// SMS texts fit one segment for ordinary facts (160 GSM-7 characters in English, 70 UCS-2 in Hindi).
import { describe, expect, it } from 'vitest';
import { LOCALES, renderNotice, type NoticeFacts, type NoticeKind } from '../../../shared/notifications/templates.js';
import { showCalendar } from '../../../shared/notifications/calendar.js';

const KINDS: NoticeKind[] = [
  'booking.confirmed',
  'booking.failed',
  'booking.expired',
  'booking.cancelled',
  'refund.issued',
  'refund.failed',
  'booking.reminder',
  'show.cancelled',
];

const facts = (kind: NoticeKind, over: Partial<NoticeFacts> = {}): NoticeFacts => ({
  kind,
  bookingId: 'bk_123',
  title: 'Dune',
  venueName: 'PVR Forum',
  startsAt: '2026-12-24T14:00:00.000Z',
  seatIds: ['A1', 'A2'],
  amount: { minor: 44000, currency: 'INR' },
  link: 'https://marquee.example/bookings/bk_123',
  timeZone: 'Asia/Kolkata',
  ...over,
});

describe('notification templates', () => {
  it('render every kind in every language, escaping the facts in the HTML', () => {
    for (const kind of KINDS)
      for (const locale of LOCALES) {
        const n = renderNotice(facts(kind, { title: '<b>Dune & co</b>' }), locale);
        expect(n.subject).toContain('<b>Dune & co</b>');
        expect(n.html).toContain('&lt;b&gt;Dune &amp; co&lt;/b&gt;');
        expect(n.html).not.toContain('<b>Dune');
        expect(n.text).toContain(n.subject);
      }
  });

  it('keep SMS texts within one segment for ordinary facts', () => {
    for (const kind of KINDS) {
      const en = renderNotice(facts(kind), 'en').sms;
      const hi = renderNotice(facts(kind), 'hi').sms;
      if (en) expect(en.length, en).toBeLessThanOrEqual(160);
      if (hi) expect(hi.length, hi).toBeLessThanOrEqual(70);
    }
  });

  it('tell a holder of a cancelled show why, and that everything paid comes back, in their language', () => {
    const en = renderNotice(facts('show.cancelled', { reason: 'Artist <unwell>' }), 'en');
    expect(en.subject).toBe('Show cancelled: Dune');
    expect(en.body).toContain('Artist <unwell>');
    expect(en.body).toContain('everything you paid, ₹440.00');
    expect(en.html).toContain('Artist &lt;unwell&gt;');
    const hi = renderNotice(facts('show.cancelled', { reason: 'कलाकार अस्वस्थ' }), 'hi');
    expect(hi.subject).toBe('शो रद्द: Dune');
    expect(hi.body).toContain('कलाकार अस्वस्थ');
    expect(hi.body).toContain('पूरी राशि');
  });

  it('write times in the users’ zone and amounts in their currency', () => {
    const n = renderNotice(facts('booking.confirmed'), 'en');
    expect(n.body).toContain('7:30'); // 14:00 UTC is 19:30 in Kolkata
    expect(n.body).toContain('₹440.00');
  });

  it('builds a calendar event whose UID is the booking, with escaped text', () => {
    const ics = showCalendar({
      bookingId: 'bk_1',
      title: 'A; B, C',
      venueName: 'Hall',
      startsAt: '2026-12-24T14:00:00.000Z',
      endsAt: '2026-12-24T16:30:00.000Z',
      stampedAt: '2026-12-02T10:00:00.000Z',
    });
    expect(ics).toContain('UID:bk_1@marquee\r\n');
    expect(ics).toContain('DTSTART:20261224T140000Z\r\n');
    expect(ics).toContain('SUMMARY:A\\; B\\, C\r\n');
  });
});
