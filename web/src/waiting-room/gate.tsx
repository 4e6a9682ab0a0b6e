// In front of the seat map (/shows/:id): a show sold through its waiting room shows "Sale opens at
// …" and the way into the queue until this tab holds an admission; with one, the seat map and the
// admission's countdown.
import type { ComponentChildren } from 'preact';
import { useAsync, useNow } from '../hooks';
import { time } from '../format';
import { Loading, Notice } from '../components/ui';
import { admissionFor, roomOf } from './admission';

export function WaitingRoomGate({
  showId,
  prefetch,
  children,
}: {
  showId: string;
  /** Starts loading what the page behind the gate needs, while the gate asks about the queue. */
  prefetch?: (showId: string) => void;
  children: ComponentChildren;
}) {
  const room = useAsync(() => {
    prefetch?.(showId);
    return roomOf(showId);
  }, [showId]);
  const now = useNow(1000);
  if (room.loading && !room.data) return <Loading />;
  // No room (or it could not be read): the seat map as usual; the API still enforces admission.
  if (!room.data?.enabled) return <>{children}</>;
  const admission = admissionFor(showId);
  if (!admission)
    return (
      <section>
        <h1>This sale has a queue</h1>
        <Notice>
          Sale opens at <strong>{time(room.data.opensAt!)}</strong>. Join the queue to get your turn; places of everyone
          who joins before the opening are drawn at random.
        </Notice>
        <a class="btn" href={`/shows/${showId}/queue`}>
          Join the queue
        </a>
      </section>
    );
  const left = Math.max(0, Math.floor((Date.parse(admission.expiresAt) - now) / 1000));
  return (
    <>
      <Notice kind="ok">
        It's your turn:{' '}
        <strong data-testid="admission-countdown">{`${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`}</strong>{' '}
        left to choose your seats and start the booking.
      </Notice>
      {children}
    </>
  );
}
