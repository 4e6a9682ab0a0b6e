// My bookings: upcoming and past, by show time. Bookings that never got paid (declined, expired,
// released) are listed apart under "Not completed", without an amount: nothing was charged. Paid
// ones show what was charged, refunded and the net.
import { useState } from 'preact/hooks';
import { myBookings, type Booking } from '../api/bookings';
import { session } from '../auth';
import { dateLong, money, time } from '../format';
import { useAsync, useShowZone, useTitle } from '../hooks';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { MoneySummary } from '../components/money-summary';
import { useSeatLabels } from '../seats/labels';

/** Ended without a payment: no seats, nothing charged. */
const UNPAID = new Set(['failed', 'expired']);

function endLabel(b: Booking): string {
  if (b.failure?.code === 'HOLD_RELEASED') return 'Released';
  if (b.failure?.code === 'PAYMENT_DECLINED') return 'Payment declined';
  return b.status === 'expired' ? 'Expired' : 'Not completed';
}

const LABEL: Record<string, string> = {
  pending: 'Holding',
  held: 'Awaiting payment',
  paying: 'Paying',
  confirmed: 'Confirmed',
  failed: 'Not completed',
  expired: 'Expired',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
  refund_failed: 'Refund delayed',
};

export function HistoryPage() {
  useTitle('My bookings');
  const user = useStore(session);
  const [tab, setTab] = useState<'upcoming' | 'past'>('upcoming');
  const q = useAsync(async () => (user ? myBookings(tab) : []), [user?.sub, tab]);
  if (!user)
    return (
      <Notice kind="warn">
        Sign in to see your bookings. <a href="/signin?next=/me/bookings">Sign in</a>
      </Notice>
    );
  const sorted = [...(q.data ?? [])].sort((a, b) =>
    tab === 'upcoming'
      ? a.show.startsAt.localeCompare(b.show.startsAt)
      : b.show.startsAt.localeCompare(a.show.startsAt),
  );
  const list = sorted.filter((b) => !UNPAID.has(b.status));
  const unpaid = sorted.filter((b) => UNPAID.has(b.status));
  return (
    <section>
      <h1>My bookings</h1>
      <div class="tabs" role="group" aria-label="Which bookings">
        <button type="button" class="chip" aria-pressed={tab === 'upcoming'} onClick={() => setTab('upcoming')}>
          Upcoming
        </button>
        <button type="button" class="chip" aria-pressed={tab === 'past'} onClick={() => setTab('past')}>
          Past
        </button>
      </div>
      {q.error && <ErrorBox error={q.error} retry={q.reload} />}
      {!q.data || q.loading ? (
        <Loading />
      ) : (
        <>
          {list.length === 0 ? (
            <p>
              No {tab} bookings. <a href="/">Find something to watch</a>.
            </p>
          ) : (
            <ul class="history" data-testid="history-paid">
              {list.map((b: Booking) => (
                <Item key={b.bookingId} b={b} />
              ))}
            </ul>
          )}
          {unpaid.length > 0 && (
            <section aria-labelledby="unpaid-h">
              <h2 id="unpaid-h">Not completed</h2>
              <p class="meta small">Bookings that ended before payment. Nothing was charged for these.</p>
              <ul class="history" data-testid="history-unpaid">
                {unpaid.map((b: Booking) => (
                  <Item key={b.bookingId} b={b} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}

function Item({ b }: { b: Booking }) {
  const zone = useShowZone(b.showId);
  const labels = useSeatLabels(b.showId);
  const unpaid = UNPAID.has(b.status);
  const seats = b.seatIds.length ? b.seatIds : b.cancelledSeatIds;
  return (
    <li class="history-item" data-status={b.status}>
      <a href={`/bookings/${encodeURIComponent(b.bookingId)}`}>
        <strong>{b.show.title}</strong>
        <span>
          {dateLong(b.show.startsAt, zone)}, {time(b.show.startsAt, zone)} · {b.show.venueName}
        </span>
        <span>
          {seats.map(labels.seat).join(', ')} ·{' '}
          {unpaid ? (
            <span class="meta">Nothing charged</span>
          ) : b.charged ? (
            <MoneySummary b={b} compact />
          ) : (
            <span class="meta">{money(b.price.total)} to pay</span>
          )}
        </span>
        <span class={`badge badge-${b.status}`}>{unpaid ? endLabel(b) : (LABEL[b.status] ?? b.status)}</span>
      </a>
    </li>
  );
}
