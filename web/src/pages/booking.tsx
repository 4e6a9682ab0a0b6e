// One booking, whatever its state: checkout while the seats are held (price breakdown, a countdown
// to the server's holdExpiresAt, the provider's payment page), then the saga followed live on the
// user channel with polling as the fallback (held → paying → confirmed / declined / expired), then
// the tickets with their QR codes and cancellation with the refund quote shown first.
import { useEffect, useRef, useState } from 'preact/hooks';
import { releaseSeats, retryPayment, type Booking } from '../api/bookings';
import { ApiError, request } from '../api/client';
import type { BookingStatus } from '../api/types';
import { session } from '../auth';
import { dateLong, money, time } from '../format';
import { useNow, useShowZone, useTitle } from '../hooks';
import { connectLive } from '../realtime';
import { useLocation } from '../router';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { BreakdownTable } from '../components/breakdown';
import { Tickets } from '../components/tickets';
import { CancelPanel } from '../components/cancel';
import { MoneySummary } from '../components/money-summary';
import { isNotFound, NotFound } from '../components/not-found';
import { useSeatLabels, type SeatLabels } from '../seats/labels';

const MOVING: BookingStatus[] = ['pending', 'held', 'paying', 'cancelling'];

export function BookingPage({ id }: { id: string }) {
  const user = useStore(session);
  const { query } = useLocation();
  const [b, setB] = useState<Booking>();
  const [error, setError] = useState<Error>();
  const [skew, setSkew] = useState(0);
  const [live, setLive] = useState<'connecting' | 'live' | 'offline'>('connecting');
  // How the payment page ended (?status= on the return URL, or read from the payment window).
  const [returned, setReturned] = useState<string | null>(query.get('status'));
  const inflight = useRef(false);
  useTitle(b ? `Booking · ${b.show.title}` : 'Booking');
  const zone = useShowZone(b?.showId);
  const labels = useSeatLabels(b?.showId);

  const refresh = async () => {
    if (inflight.current) return;
    inflight.current = true;
    const sent = Date.now();
    try {
      const res = await fetchBooking(id);
      setB(res.booking);
      setError(undefined);
      if (res.serverDate) setSkew(res.serverDate - (sent + Date.now()) / 2);
    } catch (err) {
      setError(err as Error);
    } finally {
      inflight.current = false;
    }
  };

  useEffect(() => {
    if (!user) return;
    void refresh();
  }, [id, user?.sub]);

  // Live: booking status messages arrive on the user channel; any that names this booking refreshes.
  const showId = b?.showId;
  useEffect(() => {
    if (!showId || !user) return;
    const conn = connectLive(
      { showId },
      {
        onMessage(msg, source) {
          if (source !== 'user') return;
          const m = msg as Record<string, unknown> | undefined;
          const named = m && (m.bookingId ?? (m.booking as Record<string, unknown> | undefined)?.bookingId);
          if (!named || named === id) void refresh();
        },
        onConnected: () => void refresh(),
        onStatus: setLive,
      },
    );
    return () => conn.stop();
  }, [showId, user?.sub]);

  // Polling: the fallback while the saga moves (fast), idle once it rests.
  const status = b?.status;
  useEffect(() => {
    if (!status || !MOVING.includes(status)) return;
    const t = setInterval(() => void refresh(), live === 'live' ? 4000 : 1500);
    return () => clearInterval(t);
  }, [status, live]);

  if (!user) {
    return (
      <Notice kind="warn">
        Sign in to see this booking. <a href={`/signin?next=${encodeURIComponent(`/bookings/${id}`)}`}>Sign in</a>
      </Notice>
    );
  }
  if (error && !b)
    return isNotFound(error) ? (
      <NotFound what="Booking">
        Bookings are shown only to the account that made them: check you are signed in as that person.
      </NotFound>
    ) : (
      <ErrorBox error={error} retry={() => void refresh()} />
    );
  if (!b) return <Loading label="Loading your booking…" />;
  return (
    <section class="booking">
      <h1>{headline(b)}</h1>
      <p class="show-line">
        <strong>{b.show.title}</strong> · {b.show.venueName}, {b.show.screenName} · {dateLong(b.show.startsAt, zone)},{' '}
        {time(b.show.startsAt, zone)} · {b.show.format} · {b.show.language}
      </p>
      <Steps b={b} />
      <div role="status" aria-live="polite" class="status-line" data-status={b.status}>
        <StatusMessage b={b} returned={returned} />
      </div>
      {error && <ErrorBox error={error} />}
      {(b.status === 'held' || b.status === 'paying') && (
        <Checkout
          b={b}
          skew={skew}
          labels={labels}
          onChanged={(nb) => {
            setB(nb);
            setReturned(null);
            void refresh();
          }}
          onExpired={() => void refresh()}
          onReturned={(st) => {
            setReturned(st);
            void refresh();
          }}
        />
      )}
      {b.status === 'pending' && <Loading label="Holding your seats…" />}
      {(b.status === 'confirmed' ||
        b.status === 'cancelling' ||
        b.status === 'cancelled' ||
        b.status === 'refund_failed') && (
        <>
          {b.status === 'confirmed' && <Tickets b={b} zone={zone} labels={labels} />}
          <MoneySummary b={b} />
          <BreakdownTable price={b.price} caption="What you paid for" charged={b.charged} labels={labels} />
          <Refunds b={b} labels={labels} />
          {b.status === 'confirmed' && <CancelPanel b={b} labels={labels} onChanged={(nb) => setB(nb)} />}
        </>
      )}
      {(b.status === 'failed' || b.status === 'expired') && (
        <p>
          <a class="btn" href={`/shows/${encodeURIComponent(b.showId)}`}>
            Choose seats again
          </a>
        </p>
      )}
      <p class="meta small">
        Booking reference <code>{b.bookingId}</code> · <a href="/me/bookings">All my bookings</a>
      </p>
    </section>
  );
}

async function fetchBooking(id: string): Promise<{ booking: Booking; serverDate?: number }> {
  const res = await request<Booking>(`/api/bookings/${encodeURIComponent(id)}`);
  const date = res.headers.get('date');
  return { booking: res.body, serverDate: date ? Date.parse(date) : undefined };
}

const released = (b: Booking) => b.status === 'expired' && b.failure?.code === 'HOLD_RELEASED';
const declined = (b: Booking) => b.status === 'failed' && b.failure?.code === 'PAYMENT_DECLINED';
/** The current payment try was declined and the seats are still held (a retry may be allowed). */
const declinedNow = (b: Booking) => b.status === 'held' && b.declinedPayments.some((d) => d.try === b.paymentTry);

function headline(b: Booking): string {
  if (released(b)) return 'Seats released';
  if (declined(b)) return 'Payment declined';
  if (declinedNow(b)) return 'Payment declined';
  switch (b.status) {
    case 'pending':
      return 'Holding your seats';
    case 'held':
      return 'Checkout';
    case 'paying':
      return 'Checkout';
    case 'confirmed':
      return "You're going!";
    case 'failed':
      return 'Booking not completed';
    case 'expired':
      return 'Your hold expired';
    case 'cancelling':
      return 'Cancelling';
    case 'cancelled':
      return 'Booking cancelled';
    case 'refund_failed':
      return 'Refund delayed';
  }
}

const STEPS: { key: string; label: string; statuses: BookingStatus[] }[] = [
  { key: 'held', label: 'Seats held', statuses: ['pending', 'held'] },
  { key: 'paying', label: 'Payment', statuses: ['paying'] },
  {
    key: 'done',
    label: 'Confirmed',
    statuses: ['confirmed', 'cancelling', 'cancelled', 'refund_failed', 'failed', 'expired'],
  },
];

function Steps({ b }: { b: Booking }) {
  const status = b.status;
  const at = STEPS.findIndex((s) => s.statuses.includes(status));
  const bad = status === 'failed' || status === 'expired';
  const end = released(b) ? 'Released' : declined(b) ? 'Declined' : status === 'expired' ? 'Expired' : 'Not completed';
  return (
    <ol class="steps" aria-label="Progress">
      {STEPS.map((s, i) => (
        <li
          key={s.key}
          class={i < at ? 'done' : i === at ? (bad ? 'bad' : 'current') : ''}
          aria-current={i === at ? 'step' : undefined}
        >
          {i === 2 && bad ? end : s.label}
        </li>
      ))}
    </ol>
  );
}

function StatusMessage({ b, returned }: { b: Booking; returned: string | null }) {
  switch (b.status) {
    case 'pending':
      return <>Holding your seats…</>;
    case 'held':
    case 'paying':
      if (declinedNow(b))
        return b.canRetryPayment ? (
          <>Your payment was declined. Your seats are still held: try paying again, or release them.</>
        ) : (
          <>Your payment was declined again. Release the seats, or let the hold run out; nothing was charged.</>
        );
      if (returned === 'paid') return <>Payment received — confirming your seats…</>;
      if (returned === 'declined') return <>The payment was declined.</>;
      if (returned === 'abandoned' || returned === 'closed')
        return <>Payment not completed. Your seats stay held until the timer runs out.</>;
      return <>Your seats are held. Pay before the timer runs out.</>;
    case 'confirmed':
      return (
        <>
          Confirmed. Your tickets are below
          {b.cancelledSeatIds.length
            ? ` (${b.cancelledSeatIds.length} seat${b.cancelledSeatIds.length === 1 ? '' : 's'} cancelled)`
            : ''}
          .
        </>
      );
    case 'failed':
      return <>{failureText(b)}</>;
    case 'expired':
      return released(b) ? (
        <>You released the seats, so they are free for others again. Nothing was charged.</>
      ) : (
        <>The hold ran out before payment, so the seats were released for others. Nothing was charged.</>
      );
    case 'cancelling':
      return <>Cancelling your seats and refunding the payment…</>;
    case 'cancelled':
      return <>Cancelled. {refundLine(b)}</>;
    case 'refund_failed':
      return (
        <>
          Your cancellation is recorded but the refund has not gone through yet. Our team has been alerted and will
          retry it.
        </>
      );
  }
}

function failureText(b: Booking): string {
  const code = b.failure?.code ?? '';
  if (/DECLIN|PAYMENT_FAILED/i.test(code))
    return 'Your payment was declined and not tried again before the hold ended, so the seats were released. Nothing was charged.';
  if (code === 'SEATS_UNAVAILABLE')
    return `Those seats were taken by someone else${b.failure?.seats?.length ? ` (${b.failure.seats.join(', ')})` : ''}. Please choose again.`;
  return b.failure?.detail ?? 'The booking could not be completed.';
}

function refundLine(b: Booking): string {
  const refunded = b.cancellations.filter((c) => c.status !== 'refund_failed');
  if (!refunded.length) return '';
  const total = refunded.reduce((n, c) => n + c.refund.minor, 0);
  return `Refund of ${money({ minor: total, currency: refunded[0]!.refund.currency })} ${refunded.every((c) => c.status === 'completed' || c.status === 'refunded') ? 'issued' : 'in progress'} to your original payment method.`;
}

function Refunds({ b, labels }: { b: Booking; labels: SeatLabels }) {
  if (!b.cancellations.length) return null;
  return (
    <section class="card">
      <h2>Cancellations</h2>
      <ul class="plain">
        {b.cancellations.map((c) => (
          <li key={c.id} data-cancellation={c.status}>
            {c.seatIds.map(labels.seat).join(', ')}: refund <strong>{money(c.refund)}</strong> (
            {c.status === 'completed' || c.status === 'refunded'
              ? 'refunded'
              : c.status === 'refund_failed'
                ? 'refund retrying'
                : 'in progress'}
            ){c.feesKept.minor > 0 && <span class="meta small"> · fees kept {money(c.feesKept)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The provider's checkout opens in its own window so this page keeps following the saga; when the
 * window comes back to our origin (the return URL) we read its ?status= and close it. A blocked
 * pop-up falls back to an ordinary link in this tab.
 */
function Checkout({
  b,
  skew,
  labels,
  onChanged,
  onExpired,
  onReturned,
}: {
  b: Booking;
  skew: number;
  labels: SeatLabels;
  onChanged: (b: Booking) => void;
  onExpired: () => void;
  onReturned: (status: string) => void;
}) {
  const [acting, setActing] = useState<'release' | 'retry'>();
  const [actionError, setActionError] = useState<Error>();
  const act = async (what: 'release' | 'retry') => {
    setActing(what);
    setActionError(undefined);
    try {
      onChanged(await (what === 'release' ? releaseSeats(b.bookingId) : retryPayment(b.bookingId)));
    } catch (err) {
      setActionError(err as Error);
      // The booking moved on meanwhile (paid, expired): show it as it is.
      if (err instanceof ApiError && err.status === 409) onExpired();
    } finally {
      setActing(undefined);
    }
  };
  const now = useNow(500) + skew;
  const left = b.holdExpiresAt ? Math.max(0, Date.parse(b.holdExpiresAt) - now) : undefined;
  const fired = useRef(false);
  const [payWindow, setPayWindow] = useState<Window | null>(null);
  useEffect(() => {
    if (left === 0 && !fired.current) {
      fired.current = true;
      onExpired();
    }
  }, [left === 0]);
  useEffect(() => {
    if (!payWindow) return;
    const t = setInterval(() => {
      if (payWindow.closed) {
        clearInterval(t);
        setPayWindow(null);
        onReturned('closed');
        return;
      }
      let href = '';
      try {
        href = payWindow.location.href; // throws while the window shows another origin
      } catch {
        return;
      }
      if (!href.startsWith(location.origin) || href.includes('/.payments/')) return;
      const status = new URL(href).searchParams.get('status');
      if (!status) return;
      clearInterval(t);
      payWindow.close();
      setPayWindow(null);
      onReturned(status);
    }, 250);
    return () => clearInterval(t);
  }, [payWindow]);
  useEffect(() => () => payWindow?.close(), [payWindow]);

  const pay = (e: MouseEvent) => {
    if (left === 0 || !b.paymentUrl) return e.preventDefault();
    const w = window.open(b.paymentUrl, 'marquee-pay', 'popup,width=560,height=760');
    if (!w) return; // blocked: the link opens the page in this tab
    e.preventDefault();
    setPayWindow(w);
  };
  const mm =
    left === undefined
      ? ''
      : `${Math.floor(left / 60_000)}:${String(Math.floor((left % 60_000) / 1000)).padStart(2, '0')}`;
  return (
    <div class="checkout">
      <div class={`countdown ${left !== undefined && left < 60_000 ? 'urgent' : ''}`}>
        {left === undefined ? (
          'Hold time not known yet'
        ) : left > 0 ? (
          <>
            Seats held for{' '}
            <time
              class="clock"
              data-testid="countdown"
              aria-label={`${Math.floor(left / 60_000)} minutes ${Math.floor((left % 60_000) / 1000)} seconds`}
            >
              {mm}
            </time>
          </>
        ) : (
          'Hold time is up — checking…'
        )}
      </div>
      <BreakdownTable price={b.price} caption="Price breakdown" labels={labels} />
      <Policy b={b} />
      {actionError && <ErrorBox error={actionError} />}
      {declinedNow(b) ? (
        b.canRetryPayment && left !== 0 ? (
          <p>
            <button
              type="button"
              class="btn btn-primary btn-large"
              disabled={!!acting}
              onClick={() => void act('retry')}
            >
              {acting === 'retry' ? 'Starting a new payment…' : `Try paying again (${money(b.price.total)})`}
            </button>
          </p>
        ) : null
      ) : b.paymentUrl ? (
        <p>
          <a class="btn btn-primary btn-large" href={b.paymentUrl} onClick={pay}>
            Pay {money(b.price.total)}
          </a>
          {payWindow && (
            <span class="meta">
              {' '}
              The payment page is open in another window.{' '}
              <button type="button" class="btn btn-small btn-ghost" onClick={() => payWindow.focus()}>
                Show it
              </button>
            </span>
          )}
        </p>
      ) : (
        <Loading label="Preparing payment…" />
      )}
      <p>
        <button
          type="button"
          class="btn btn-ghost"
          disabled={!!acting || left === 0}
          onClick={() => void act('release')}
        >
          {acting === 'release' ? 'Releasing…' : 'Release seats'}
        </button>{' '}
        <span class="meta small">
          Changed your mind? Let the seats go now so you (or others) can book different ones.
        </span>
      </p>
      <p class="meta small">
        Payment happens on our payment provider's page; this page follows your booking and shows your tickets when it is
        confirmed.
      </p>
    </div>
  );
}

/** The cancellation policy this booking falls under, before paying. */
function Policy({ b }: { b: Booking }) {
  const p = b.cancellationPolicy;
  if (!p) return null;
  const pct = (bp: number) => `${Math.round(bp / 100)}%`;
  const last = p.tiers[p.tiers.length - 1];
  return (
    <p class="policy" data-testid="policy">
      <strong>Cancellation policy:</strong>{' '}
      {p.nonRefundable ? (
        <>this show is non-refundable: tickets cannot be cancelled once paid.</>
      ) : (
        <>
          {p.tiers
            .map((t, i) =>
              i === 0
                ? `${pct(t.refundBp)} of the ticket price back if you cancel ${t.minHoursBefore} h or more before the show`
                : `${pct(t.refundBp)} from ${t.minHoursBefore} h`,
            )
            .join(', ')}
          {last ? `; no cancellation in the last ${last.minHoursBefore} h` : ''}. Convenience fees and the GST on them
          are not refunded.
        </>
      )}
    </p>
  );
}
