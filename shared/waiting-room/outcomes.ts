// This instance's booking outcomes per show, for the admitter's slow-down and the operator's
// conversion (docs/architecture.md, Waiting room: slow-down, across instances). Outcomes add to
// running totals kept in memory and written to this instance's own `pressure:<instance>` document
// at most once every `everyMs`: one writer per document, so no contention; a lost or late write is
// harmless because the totals only grow (the admitter takes what is new, pressure.ts newPressure).
import { noPressure, type PressureTotals } from '../domain/waiting-room/index.js';
import { pressureIdOf, type PressureDoc } from './ports.js';

export type Outcome = 'held' | 'conflict' | 'busy';

export interface OutcomeRecorderDeps {
  instance: string;
  write(doc: PressureDoc): Promise<void>;
  clock: () => number;
  everyMs: number;
  log?: (message: string) => void;
}

interface ShowTotals {
  totals: PressureTotals;
  flushedAt: number;
  dirty: boolean;
  timer?: NodeJS.Timeout;
}

export class OutcomeRecorder {
  private readonly shows = new Map<string, ShowTotals>();

  constructor(private readonly d: OutcomeRecorderDeps) {}

  has(showId: string): boolean {
    return this.shows.has(showId);
  }

  async record(showId: string, outcome: Outcome): Promise<void> {
    const mine = this.shows.get(showId) ?? { totals: noPressure(), flushedAt: 0, dirty: false };
    mine.totals = {
      attempts: mine.totals.attempts + 1,
      conflicts: mine.totals.conflicts + (outcome === 'conflict' ? 1 : 0),
      busy: mine.totals.busy + (outcome === 'busy' ? 1 : 0),
      held: mine.totals.held + (outcome === 'held' ? 1 : 0),
    };
    mine.dirty = true;
    this.shows.set(showId, mine);
    await this.flush(showId, false);
  }

  /** Writes the show's totals if they changed: now (`force`, before the admitter or the operator reads), or when due. */
  async flush(showId: string, force: boolean): Promise<void> {
    const mine = this.shows.get(showId);
    const now = this.d.clock();
    if (!mine?.dirty) return;
    if (!force && now - mine.flushedAt < this.d.everyMs) {
      // Written a moment ago: these outcomes go with the next write, at the latest `everyMs` from
      // the last (an instance that does not run the admitter's timer has nothing else to write them).
      mine.timer ??= setTimeout(
        () => {
          mine.timer = undefined;
          void this.flush(showId, false);
        },
        this.d.everyMs - (now - mine.flushedAt),
      );
      mine.timer.unref?.();
      return;
    }
    mine.dirty = false;
    mine.flushedAt = now;
    try {
      await this.d.write({
        id: pressureIdOf(this.d.instance),
        kind: 'pressure',
        showId,
        instance: this.d.instance,
        ...mine.totals,
        at: now,
      });
    } catch (err) {
      mine.dirty = true; // the totals are cumulative: the next write carries these too
      this.d.log?.(`waiting room ${showId}: pressure not written: ${String(err)}`);
    }
  }
}
