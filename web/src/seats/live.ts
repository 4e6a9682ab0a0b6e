// Applying the show group's seat messages (shared/domain/seat-diff.ts, docs/realtime.md) to the
// availability string. A message carries `base` (the show version it follows) and `version`
// (after it); codes are absolute per seat. A message not newer than what we have is ignored; one
// whose base is above our version still applies (its states are true) but tells the caller to
// refetch the snapshot for whatever was missed (docs/realtime.md, client rules). A base below our
// version is fine: the snapshot already had part of it. A `full` message lists whole sections.
import type { SeatDiffMessage } from '../api/types';
import { FREE, isSeatCode } from '../../../shared/contracts/seats.js';
import type { SeatIndex } from './model';

export function isSeatDiff(msg: unknown): msg is SeatDiffMessage {
  const m = msg as Partial<SeatDiffMessage> | null;
  return (
    !!m &&
    m.type === 'seats' &&
    typeof m.showId === 'string' &&
    typeof m.version === 'number' &&
    Array.isArray(m.sections)
  );
}

export interface Applied {
  seats: string;
  version: number;
  /** A message was missed: refetch the snapshot. */
  gap: boolean;
}

/** Undefined when the message is old news. */
export function applySeatMessage(
  index: SeatIndex,
  current: { seats: string; version: number },
  msg: SeatDiffMessage,
): Applied | undefined {
  if (msg.full ? msg.version < current.version : msg.version <= current.version) return undefined;
  const chars = current.seats.split('');
  for (const section of msg.sections) {
    if (msg.full || section.full) {
      for (const s of index.seats) if (s.sectionId === section.sectionId) chars[s.index] = FREE;
    }
    for (const [id, code] of Object.entries(section.seats)) {
      const ref = index.byId.get(id);
      if (ref && isSeatCode(code)) chars[ref.index] = code;
    }
  }
  return {
    seats: chars.join(''),
    version: msg.version,
    gap: !msg.full && msg.base !== null && msg.base > current.version,
  };
}
