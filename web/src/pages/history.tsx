// My bookings: upcoming and past, by show time.
import { useState } from 'preact/hooks';
import { myBookings, type Booking } from '../api/bookings';
import { session } from '../auth';
import { dateLong, money, time } from '../format';
import { useAsync, useShowZone, useTitle } from '../hooks';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';

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
  const list = [...(q.data ?? [])].sort((a, b) =>
    tab === 'upcoming'
      ? a.show.startsAt.localeCompare(b.show.startsAt)
      : b.show.startsAt.localeCompare(a.show.startsAt),
  );
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
      ) : list.length === 0 ? (
        <p>
          No {tab} bookings. <a href="/">Find something to watch</a>.
        </p>
      ) : (
        <ul class="history">
          {list.map((b: Booking) => (
            <Item key={b.bookingId} b={b} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Item({ b }: { b: Booking }) {
  const zone = useShowZone(b.showId);
  return (
    <li class="history-item" data-status={b.status}>
      <a href={`/bookings/${encodeURIComponent(b.bookingId)}`}>
        <strong>{b.show.title}</strong>
        <span>
          {dateLong(b.show.startsAt, zone)}, {time(b.show.startsAt, zone)} · {b.show.venueName}
        </span>
        <span>
          {b.seatIds.length ? b.seatIds.join(', ') : b.cancelledSeatIds.join(', ')} ·{' '}
          {money(b.charged ?? b.price.total)}
        </span>
        <span class={`badge badge-${b.status}`}>{LABEL[b.status] ?? b.status}</span>
      </a>
    </li>
  );
}
