// A show's availability kept live while its seat picker is open: the page's snapshot, then the
// show group's seat messages applied as they come (./live.ts). A gap in the versions and every
// fresh connection refetch the snapshot; without a live connection it is polled every 10 s.
import { useEffect, useRef, useState } from 'preact/hooks';
import { availability as loadAvailability } from '../api/catalog';
import type { Availability } from '../api/types';
import { useLatest } from '../hooks';
import { connectLive, type LiveStatus } from '../realtime';
import { UNAVAILABLE } from '../../../shared/contracts/seats.js';
import { applySeatMessage, isSeatDiff } from './live';
import { applyChanges, type SeatIndex } from './model';

export interface LiveAvailability {
  avail: Availability;
  live: LiveStatus;
  /** The server refused these seats: show them taken at once, then refetch the snapshot. */
  seatsTaken(seatIds: readonly string[]): void;
}

/**
 * `onUpdate` hears each availability the server sends (a message or a snapshot). The hook reads
 * `showId`, `index` and `initial` once: the picker is keyed by show id, so another show is a new hook.
 */
export function useLiveAvailability(
  showId: string,
  index: SeatIndex,
  initial: Availability,
  onUpdate: (next: Availability) => void,
): LiveAvailability {
  const [avail, setAvail] = useState(initial);
  const [live, setLive] = useState<LiveStatus>('connecting');
  const availRef = useLatest(avail);
  const liveRef = useRef<LiveStatus>('connecting');
  const onUpdateRef = useLatest(onUpdate);

  const accept = (next: Availability) => {
    availRef.current = next; // several messages may arrive before the next render
    setAvail(next);
    onUpdateRef.current(next);
  };

  // Refetch the snapshot (after a gap, a reconnect, or while offline). The server caches it for up
  // to 1 s, so a snapshot older than the diffs already applied is not taken; we ask again shortly.
  const refetching = useRef<number | undefined>(undefined);
  const refetch = (delay = 100, tries = 3) => {
    clearTimeout(refetching.current);
    refetching.current = window.setTimeout(() => {
      loadAvailability(showId).then(
        (next) => {
          if (next.version >= availRef.current.version) accept(next);
          else if (tries > 0) refetch(1100, tries - 1);
        },
        () => undefined,
      );
    }, delay);
  };

  useEffect(() => {
    const conn = connectLive(
      { showId },
      {
        onMessage(msg, source) {
          if (source !== 'group' || !isSeatDiff(msg) || msg.showId !== showId) return;
          const cur = availRef.current;
          const applied = applySeatMessage(index, cur, msg);
          if (!applied) return;
          accept({ ...cur, seats: applied.seats, version: applied.version });
          if (applied.gap) refetch();
        },
        // Every fresh connection (the first too: the page's snapshot predates it) resynchronises.
        onConnected: () => refetch(0),
        onStatus: (st) => {
          liveRef.current = st;
          setLive(st);
        },
      },
    );
    // Without a live connection the map still refreshes, just more slowly.
    const poll = setInterval(() => liveRef.current !== 'live' && refetch(0, 0), 10_000);
    return () => {
      conn.stop();
      clearInterval(poll);
      clearTimeout(refetching.current);
    };
  }, [showId]);

  const seatsTaken = (seatIds: readonly string[]) => {
    setAvail((a) => ({
      ...a,
      seats: applyChanges(index, a.seats, Object.fromEntries(seatIds.map((id) => [id, UNAVAILABLE]))),
    }));
    refetch(1100);
  };

  return { avail, live, seatsTaken };
}
