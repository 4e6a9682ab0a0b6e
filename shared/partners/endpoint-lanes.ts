// Per-endpoint isolation for partner webhook sends (docs/architecture.md, Partner webhooks;
// docs/webhooks.md, Retries). Every endpoint has its own lane in this process:
//
// - a bulkhead: at most `concurrency` sends in flight to the endpoint, a bounded queue behind them,
//   and a bounded wait in that queue. A send that cannot start soon is not made here: the caller
//   schedules the retry durably instead of holding a Service Bus message (or a Durable activity
//   slot) while a slow partner takes its time. When every slot is held by a send older than the
//   queue wait, the endpoint is slow and nothing queues behind it at all.
// - a circuit: after `circuitFailures` failed sends in a row the endpoint's sends stop for
//   `circuitOpenMs`; then one send probes it (the others keep being scheduled for later) and its
//   answer closes or reopens the circuit. A hanging endpoint thus costs one timeout per probe, not
//   one per delivery.
//
// Lanes are per process: each instance learns an endpoint's state from its own sends. The durable
// retries keep every delivery's schedule, so a lane refusing a send never loses it.
import { BrokenCircuitError, bulkhead, circuitBreaker, CircuitState, ConsecutiveBreaker } from 'cockatiel';
import { handleWhenResult, type BulkheadPolicy, type CircuitBreakerPolicy } from 'cockatiel';

export interface LaneLimits {
  /** Sends in flight per endpoint. */
  concurrency: number;
  /** Sends waiting for a slot per endpoint; more are refused at once. */
  queue: number;
  /** How long a send may wait for a slot; also the age after which a send in flight counts as slow. */
  queueWaitMs: number;
  /** Failed sends in a row that open the circuit. */
  circuitFailures: number;
  /** How long an open circuit refuses sends before one probe is let through. */
  circuitOpenMs: number;
}

/** Why a send was not made: the endpoint's circuit is open, or its slots stayed taken. */
export type NotSentReason = 'circuit-open' | 'busy';

export type LaneResult<T> = { sent: true; value: T } | { sent: false; reason: NotSentReason };

interface Lane {
  bulkhead: BulkheadPolicy;
  circuit: CircuitBreakerPolicy;
  /** The sends in flight, by start time. */
  inFlight: Set<{ at: number }>;
}

export class EndpointLanes<T> {
  private readonly lanes = new Map<string, Lane>();

  /**
   * @param failed whether a send's result counts against the endpoint's circuit.
   * @param clock the time base for "slow" (the circuit keeps its own, Date.now).
   */
  constructor(
    private readonly limits: LaneLimits,
    private readonly failed: (value: T) => boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs `send` in the endpoint's lane, or says why it was not run. `send` should not throw. */
  async run(endpointId: string, send: () => Promise<T>): Promise<LaneResult<T>> {
    const lane = this.laneOf(endpointId);
    if (this.refusing(lane)) return { sent: false, reason: 'circuit-open' };
    const slow = lane.bulkhead.executionSlots === 0 && this.oldestAge(lane) >= this.limits.queueWaitMs;
    if (slow || (lane.bulkhead.executionSlots === 0 && lane.bulkhead.queueSlots === 0))
      return { sent: false, reason: 'busy' };

    const abort = new AbortController();
    let started = false;
    const ran = lane.bulkhead.execute(async () => {
      started = true;
      // The circuit may have opened while this waited: a half-open circuit's probe is under way, and
      // cockatiel would make this wait for it (as long as a timeout) rather than refuse.
      if (this.refusing(lane)) return { sent: false, reason: 'circuit-open' } as const;
      const at = { at: this.clock() };
      lane.inFlight.add(at);
      try {
        return { sent: true, value: await lane.circuit.execute(send) } as const;
      } catch (err) {
        if (err instanceof BrokenCircuitError) return { sent: false, reason: 'circuit-open' } as const;
        throw err;
      } finally {
        lane.inFlight.delete(at);
      }
    }, abort.signal);
    if (started) return ran;
    // Queued: wait for a slot at most queueWaitMs. A send that has started by then is waited for to
    // the end (it is under way: refusing it now would send twice).
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<LaneResult<T>>((resolve) => {
      timer = setTimeout(() => {
        if (started) return;
        abort.abort();
        resolve({ sent: false, reason: 'busy' });
      }, this.limits.queueWaitMs);
    });
    // An aborted queued send is dropped by the bulkhead when its turn comes (TaskCancelledError).
    ran.catch(() => undefined);
    try {
      return await Promise.race([ran, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets what the lane learnt (an operator says the partner is back: a retry, a replay, enabling it). */
  reset(endpointId: string): void {
    const lane = this.lanes.get(endpointId);
    // Sends in flight keep their slots; only the circuit starts afresh.
    if (lane) lane.circuit = this.circuit();
  }

  /** The endpoint's circuit, for the log and tests: closed, open or half-open (a probe under way). */
  state(endpointId: string): 'closed' | 'open' | 'half-open' {
    const s = this.lanes.get(endpointId)?.circuit.state;
    return s === CircuitState.Open ? 'open' : s === CircuitState.HalfOpen ? 'half-open' : 'closed';
  }

  /** Open and not yet due a probe, or a probe under way (cockatiel would queue the call behind it). */
  private refusing(lane: Lane): boolean {
    const { state } = lane.circuit;
    if (state === CircuitState.HalfOpen || state === CircuitState.Isolated) return true;
    if (state !== CircuitState.Open) return false;
    // cockatiel's own record of when it opened (its clock is Date.now).
    const own = (lane.circuit.toJSON() as { ownState?: { openedAt?: number } }).ownState;
    return Date.now() - (own?.openedAt ?? 0) < this.limits.circuitOpenMs;
  }

  private oldestAge(lane: Lane): number {
    let oldest = Infinity;
    for (const s of lane.inFlight) oldest = Math.min(oldest, s.at);
    return oldest === Infinity ? 0 : this.clock() - oldest;
  }

  private laneOf(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = {
        bulkhead: bulkhead(this.limits.concurrency, this.limits.queue),
        circuit: this.circuit(),
        inFlight: new Set(),
      };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  private circuit(): CircuitBreakerPolicy {
    return circuitBreaker(
      handleWhenResult((r) => this.failed(r as T)),
      {
        halfOpenAfter: this.limits.circuitOpenMs,
        breaker: new ConsecutiveBreaker(this.limits.circuitFailures),
      },
    );
  }
}
