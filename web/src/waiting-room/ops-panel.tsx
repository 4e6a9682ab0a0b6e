// An operator's live view of a show's queue: length, admitted in the last minute, the pace the
// admitter runs at (after its slow-down) and conversion to bookings. Polled every 2 s.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';

interface Stats {
  queued: number;
  waiting: number;
  admitted: number;
  admittedLastMinute: number;
  admitPerMinute: number;
  effectivePerMinute: number;
  conversion: number;
}

export function OpsQueuePanel({ showId }: { showId: string }) {
  const [stats, setStats] = useState<Stats>();
  useEffect(() => {
    const load = () =>
      get<Stats>(`/api/ops/shows/${encodeURIComponent(showId)}/waiting-room`).then(setStats, () => undefined);
    void load();
    const t = setInterval(load, 2000);
    return () => clearInterval(t);
  }, [showId]);
  if (!stats) return null;
  return (
    <aside class="card" aria-label="Queue (operator)">
      <h2>Queue (operator)</h2>
      <dl>
        <dt>In the queue</dt>
        <dd data-testid="ops-waiting">{stats.waiting}</dd>
        <dt>Admitted</dt>
        <dd>
          {stats.admitted} ({stats.admittedLastMinute} in the last minute; pace {stats.effectivePerMinute}/
          {stats.admitPerMinute} a minute)
        </dd>
        <dt>Conversion</dt>
        <dd>{Math.round(stats.conversion * 100)} % of admitted started a booking</dd>
      </dl>
    </aside>
  );
}
