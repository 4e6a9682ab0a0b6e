// The waiting room page (/shows/:id/queue; docs/architecture.md, Waiting room): joins the show's
// queue, shows the place, a progress bar and the wait, and moves to the seat map the moment the
// user is admitted. The place falls live: the show's Web PubSub group carries the admitted count
// (position = rank − admitted), the user channel says "admitted"; a poll every 5 s backs both up.
import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from '../auth';
import { useStore } from '../store';
import { navigate } from '../router';
import { useTitle } from '../hooks';
import { connectLive } from '../realtime';
import { time } from '../format';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { joinQueue, queueStatus, rememberAdmission, type QueueStatus } from './admission';
import { OpsQueuePanel } from './ops-panel';

const POLL_MS = 5000;

function wait(seconds: number | undefined): string {
  if (seconds === undefined) return 'a little while';
  if (seconds < 90) return 'about a minute';
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `about ${minutes} minutes` : `about ${Math.round(minutes / 60)} hours`;
}

export function WaitingRoomPage({ id }: { id: string }) {
  useTitle('Waiting room');
  const user = useStore(session);
  const [status, setStatus] = useState<QueueStatus>();
  const [error, setError] = useState<Error>();
  const first = useRef<number | undefined>(undefined);
  const ticket = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!user) return;
    let stopped = false;
    const apply = (s: QueueStatus) => {
      if (stopped) return;
      setStatus(s);
      if (s.position !== undefined && first.current === undefined) first.current = s.position;
      if (s.state === 'admitted' && s.admissionToken && s.admissionExpiresAt) {
        rememberAdmission(id, s.admissionToken, s.admissionExpiresAt);
        navigate(`/shows/${encodeURIComponent(id)}`, { replace: true });
      }
    };
    const refresh = () => ticket.current && queueStatus(ticket.current).then(apply, () => undefined);
    joinQueue(id).then((j) => {
      ticket.current = j.ticket;
      apply(j);
      // The join answers no place (it writes, it does not rank): the status says it.
      if (j.state === 'waiting' && j.rank === undefined) void refresh();
    }, setError);
    const live = connectLive(
      { showId: id },
      {
        onMessage(data, source) {
          const m = data as { type?: string; admitted?: number; showId?: string };
          if (m.showId !== id) return;
          if (source === 'user' && m.type === 'admitted') void refresh();
          if (m.type === 'queue' && typeof m.admitted === 'number') {
            const admitted = m.admitted;
            setStatus((s) =>
              s && s.rank !== undefined && s.state === 'waiting'
                ? {
                    ...s,
                    admitted,
                    position: Math.max(1, s.rank - admitted),
                    ahead: Math.max(0, s.rank - admitted - 1),
                  }
                : s,
            );
            // Our turn by the count: fetch the admission.
            setStatus((s) => {
              if (s?.rank !== undefined && s.rank <= admitted) void refresh();
              return s;
            });
          }
        },
        onConnected: () => void refresh(),
      },
    );
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      live.stop();
    };
  }, [id, user?.sub]);

  if (!user)
    return (
      <Notice kind="warn">
        This sale has a queue. <a href={`/signin?next=${encodeURIComponent(`/shows/${id}/queue`)}`}>Sign in</a> to join
        it.
      </Notice>
    );
  if (error) return <ErrorBox error={error} />;
  if (!status) return <Loading label="Joining the queue…" />;
  const before = Date.parse(status.opensAt) > Date.now();
  const total = first.current ?? status.position;
  const done = total && status.position !== undefined ? Math.max(0, Math.min(1, 1 - (status.position - 1) / total)) : 0;
  return (
    <section class="waiting-room" aria-labelledby="wr-title">
      <h1 id="wr-title">You're in the queue</h1>
      {status.state === 'expired' ? (
        <Notice kind="warn">
          Your turn came and went. <a href={`/shows/${id}/queue`}>Join again</a> to go to the back of the queue.
        </Notice>
      ) : before || status.position === undefined ? (
        <p data-testid="wr-before">
          The sale opens at <strong>{time(status.opensAt)}</strong>. Everyone who joins before then gets a place drawn
          at random when it opens — joining early or on a fast connection gives no advantage.
        </p>
      ) : (
        <>
          <p class="wr-position" aria-live="polite">
            Your place: <strong data-testid="wr-position">{status.position}</strong>
            {status.ahead !== undefined && <> · {status.ahead} ahead of you</>}
          </p>
          <progress max={1} value={done} aria-label="Progress through the queue" />
          <p>
            Estimated wait: <strong>{wait(status.etaSeconds)}</strong> ({status.admitPerMinute} people let in a minute).
          </p>
        </>
      )}
      <Notice>
        Don't refresh or close this page — you keep your place either way, but this page moves you on the moment it's
        your turn. You then have a few minutes to choose seats and pay.
      </Notice>
      {user.roles.includes('operator') && <OpsQueuePanel showId={id} />}
    </section>
  );
}
