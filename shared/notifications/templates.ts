// The words of every notification, in English and Hindi: one function per event kind builds the
// facts into a subject, an HTML and a plain-text email, a short SMS (kept within one segment where
// the facts allow: 160 GSM-7 characters in English, 70 UCS-2 in Hindi) and the title and body the
// push and the in-app inbox show. Every interpolated value is escaped in the HTML.
import type { Money } from '../domain/money.js';

export const LOCALES = ['en', 'hi'] as const;
export type Locale = (typeof LOCALES)[number];

export type NoticeKind =
  | 'booking.confirmed'
  | 'booking.failed'
  | 'booking.expired'
  | 'booking.cancelled'
  | 'refund.issued'
  | 'refund.failed'
  | 'booking.reminder'
  | 'show.cancelled';

export interface NoticeFacts {
  kind: NoticeKind;
  bookingId: string;
  title: string;
  venueName: string;
  startsAt: string;
  seatIds: string[];
  /** Paid (confirmed) or refunded (cancelled, refund.*) amount. */
  amount?: Money;
  /** Cancelled / refunded: the booking is still confirmed with fewer seats. */
  partial?: boolean;
  /** Where the booking is shown in the web client. */
  link: string;
  timeZone: string;
  /** Show cancelled: the operator's reason. */
  reason?: string;
  /** Confirmed: one inline QR image per ticket, `cid:<contentId>`, in seat order. */
  qr?: { seatId: string; contentId: string }[];
}

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
  sms?: string;
  title: string;
  body: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function when(f: NoticeFacts, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-IN', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: f.timeZone,
  }).format(new Date(f.startsAt));
}

function money(m: Money | undefined, locale: Locale): string {
  if (!m) return '';
  return new Intl.NumberFormat(locale === 'hi' ? 'hi-IN' : 'en-IN', { style: 'currency', currency: m.currency }).format(
    m.minor / 100,
  );
}

interface Words {
  subject: string;
  lead: string;
  sms?: string;
}

function words(f: NoticeFacts, locale: Locale): Words {
  const t = f.title;
  const at = when(f, locale);
  const amount = money(f.amount, locale);
  const seats = f.seatIds.join(', ');
  if (locale === 'hi') {
    switch (f.kind) {
      case 'booking.confirmed':
        return {
          subject: `बुकिंग पक्की: ${t}`,
          lead: `${t}, ${f.venueName}, ${at} के लिए आपकी बुकिंग पक्की हो गई है। सीटें: ${seats}। भुगतान: ${amount}।`,
          sms: `${t} ${at}, सीटें ${seats}: बुकिंग पक्की।`,
        };
      case 'booking.failed':
        return {
          subject: `बुकिंग नहीं हो सकी: ${t}`,
          lead: `${t} (${at}) के लिए आपकी बुकिंग पूरी नहीं हो सकी। अगर भुगतान कटा है तो पूरी राशि लौटा दी जाएगी।`,
        };
      case 'booking.expired':
        return {
          subject: `बुकिंग का समय समाप्त: ${t}`,
          lead: `${t} (${at}) के लिए भुगतान समय पर नहीं मिला, इसलिए सीटें छोड़ दी गईं।`,
        };
      case 'booking.cancelled':
        return {
          subject: `बुकिंग रद्द: ${t}`,
          lead: f.partial
            ? `${t} (${at}) की सीटें ${seats} रद्द हो गईं। बाकी टिकट मान्य हैं। वापसी: ${amount}।`
            : `${t} (${at}) की आपकी बुकिंग रद्द हो गई। वापसी: ${amount}।`,
          sms: `${t}: बुकिंग रद्द, वापसी ${amount}।`,
        };
      case 'refund.issued':
        return {
          subject: `राशि वापस: ${t}`,
          lead: `${t} (${at}) के लिए ${amount} आपके भुगतान के तरीके में वापस भेज दिए गए हैं।`,
        };
      case 'refund.failed':
        return {
          subject: `राशि वापसी में देरी: ${t}`,
          lead: `${t} (${at}) के लिए ${amount} की वापसी अभी नहीं हो सकी। हम फिर से कोशिश कर रहे हैं; आपको कुछ करने की ज़रूरत नहीं है।`,
          sms: `${t}: वापसी में देरी, हम फिर कोशिश कर रहे हैं।`,
        };
      case 'show.cancelled':
        return {
          subject: `शो रद्द: ${t}`,
          lead: `${t}, ${f.venueName}, ${at} का शो रद्द कर दिया गया है${f.reason ? ` (${f.reason})` : ''}। आपकी बुकिंग रद्द हो गई है और आपकी पूरी राशि ${amount} आपके भुगतान के तरीके में वापस भेजी जा रही है। आपको कुछ करने की ज़रूरत नहीं है।`,
          sms: `${t} ${at}: शो रद्द, पूरी राशि ${amount} वापस।`,
        };
      case 'booking.reminder':
        return {
          subject: `याद दिलाना: ${t}`,
          lead: `${t} ${at} पर ${f.venueName} में शुरू होगा। सीटें: ${seats}। प्रवेश पर अपने ईमेल के QR कोड दिखाएँ।`,
          sms: `${t} ${at}, सीटें ${seats}।`,
        };
    }
  }
  switch (f.kind) {
    case 'booking.confirmed':
      return {
        subject: `Booking confirmed: ${t}`,
        lead: `Your booking for ${t} at ${f.venueName} on ${at} is confirmed. Seats: ${seats}. Paid: ${amount}.`,
        sms: `Marquee: ${t}, ${at}, seats ${seats} confirmed. Tickets in your email.`,
      };
    case 'booking.failed':
      return {
        subject: `Booking not completed: ${t}`,
        lead: `Your booking for ${t} on ${at} could not be completed. If you were charged, the full amount is refunded.`,
      };
    case 'booking.expired':
      return {
        subject: `Booking expired: ${t}`,
        lead: `The payment for ${t} on ${at} did not arrive in time, so the seats were released.`,
      };
    case 'booking.cancelled':
      return {
        subject: `Booking cancelled: ${t}`,
        lead: f.partial
          ? `Seats ${seats} for ${t} on ${at} are cancelled; your other tickets stay valid. Refund: ${amount}.`
          : `Your booking for ${t} on ${at} is cancelled. Refund: ${amount}.`,
        sms: `Marquee: ${t} booking cancelled. Refund ${amount}.`,
      };
    case 'refund.issued':
      return {
        subject: `Refund issued: ${t}`,
        lead: `${amount} for ${t} on ${at} is on its way back to your payment method.`,
      };
    case 'refund.failed':
      return {
        subject: `Refund delayed: ${t}`,
        lead: `The refund of ${amount} for ${t} on ${at} did not go through yet. We are retrying it; you need not do anything.`,
        sms: `Marquee: refund for ${t} delayed, we are retrying.`,
      };
    case 'show.cancelled':
      return {
        subject: `Show cancelled: ${t}`,
        lead: `${t} at ${f.venueName} on ${at} has been cancelled${f.reason ? ` (${f.reason})` : ''}. Your booking is cancelled and everything you paid, ${amount}, is being refunded to your payment method. You need not do anything.`,
        sms: `Marquee: ${t} on ${at} is cancelled. Full refund of ${amount} on its way.`,
      };
    case 'booking.reminder':
      return {
        subject: `Reminder: ${t}`,
        lead: `${t} starts on ${at} at ${f.venueName}. Seats: ${seats}. Show the QR codes from your confirmation email at the door.`,
        sms: `Marquee: ${t} starts ${at} at ${f.venueName}. Seats ${seats}.`,
      };
  }
}

const LABELS = {
  en: {
    view: 'View booking',
    tickets: 'Your tickets',
    seat: 'Seat',
    calendar: 'The show is attached to add to your calendar.',
  },
  hi: { view: 'बुकिंग देखें', tickets: 'आपके टिकट', seat: 'सीट', calendar: 'शो को अपने कैलेंडर में जोड़ने के लिए फ़ाइल संलग्न है।' },
} as const;

export function renderNotice(f: NoticeFacts, locale: Locale): RenderedNotice {
  const w = words(f, locale);
  const l = LABELS[locale];
  const tickets = f.qr?.length
    ? `<h2 style="font-size:16px">${esc(l.tickets)}</h2>` +
      f.qr
        .map(
          (q) =>
            `<div style="display:inline-block;margin:8px;text-align:center"><img src="cid:${esc(q.contentId)}" width="160" height="160" alt="QR ${esc(q.seatId)}"><br>${esc(l.seat)} ${esc(q.seatId)}</div>`,
        )
        .join('') +
      `<p>${esc(l.calendar)}</p>`
    : '';
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(w.subject)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:600px;margin:auto;color:#222">` +
    `<h1 style="font-size:20px">${esc(w.subject)}</h1><p>${esc(w.lead)}</p>${tickets}` +
    `<p><a href="${esc(f.link)}">${esc(l.view)}</a></p><p style="color:#888;font-size:12px">Marquee · ${esc(f.bookingId)}</p>` +
    `</body></html>`;
  const text = `${w.subject}\n\n${w.lead}\n${f.qr?.length ? `\n${l.calendar}\n` : ''}\n${l.view}: ${f.link}\n`;
  return { subject: w.subject, text, html, ...(w.sms ? { sms: w.sms } : {}), title: w.subject, body: w.lead };
}
