// What the booking use-cases need from their surroundings, as small interfaces: the Durable client
// (start, inspect, signal the sagas) and the pieces of the composition root. The HTTP triggers and
// the timer build a SagaClient from `df.getClient(context)`; the use-cases never see durable-functions.
import type { DurableClient } from 'durable-functions';
import { SystemError } from '../errors.js';
import type { EventContract, InputOf, OrchestrationContract } from './saga-contracts.js';

export type InstanceState =
  'Running' | 'Pending' | 'Completed' | 'Failed' | 'Terminated' | 'Canceled' | 'ContinuedAsNew' | 'Suspended';

export interface InstanceInfo {
  state: InstanceState;
  input: unknown;
  customStatus: unknown;
  output: unknown;
}

export interface SagaClient {
  status(instanceId: string): Promise<InstanceInfo | undefined>;
  /**
   * Starts the orchestration; 'exists' when an instance with that id is live (never restarted).
   * `fresh`: the caller has just created what the instance is about (a new booking or a new
   * attempt of one), so an ended instance of that id is restarted without asking first; a live one
   * is still refused by the host and reported.
   */
  start<D extends OrchestrationContract<never, unknown>>(
    saga: D,
    instanceId: string,
    input: InputOf<D>,
    options?: { fresh?: boolean },
  ): Promise<'started' | 'exists'>;
  /**
   * Raises an event; 'gone' when the instance already ended, 'missing' when there is none. A caller
   * that has just read the status passes it as `known`, saving a second status call.
   */
  raise<D extends EventContract<never>>(
    instanceId: string,
    event: D,
    payload: InputOf<D>,
    known?: InstanceInfo,
  ): Promise<'raised' | 'gone' | 'missing'>;
  terminate(instanceId: string, reason: string): Promise<void>;
}

export const TERMINAL_INSTANCE_STATES: readonly InstanceState[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

const isNotFound = (err: unknown) => /\b404\b|No instance with ID/i.test(String((err as Error)?.message ?? err));

/** Seconds a caller is told to wait when the Durable engine could not be reached. */
const ENGINE_RETRY_AFTER_SECONDS = 2;

/**
 * A Durable client call that failed other than "no such instance" — the extension unreachable,
 * starting, or answering 5xx (its storage failing; a host restarting): the retryable system error,
 * so an HTTP caller gets 503 problem+json with Retry-After (docs/architecture.md, Errors) instead of
 * the library's plain Error, which the edge can only call INTERNAL (500). Every use-case that starts
 * or signals a saga is safe to call again (idempotency keys, commits made before the call).
 */
export function engineUnavailable(err: unknown): SystemError<'DEPENDENCY_UNAVAILABLE'> {
  return new SystemError('DEPENDENCY_UNAVAILABLE', {
    detail: 'The workflow engine is not answering right now. Try again shortly.',
    retryAfter: ENGINE_RETRY_AFTER_SECONDS,
    cause: err,
  });
}

/** Runs a Durable client call, translating its faults (engineUnavailable); a system error passes as it is. */
async function engine<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof SystemError || isNotFound(err)) throw err;
    throw engineUnavailable(err);
  }
}

/** The SagaClient over the library's DurableClient (rpc mode on both hosts). */
export function sagaClient(client: DurableClient): SagaClient {
  const status: SagaClient['status'] = async (instanceId) => {
    try {
      const s = await engine(() => client.getStatus(instanceId, { showInput: true }));
      return {
        state: String(s.runtimeStatus) as InstanceState,
        input: s.input,
        customStatus: s.customStatus,
        output: s.output,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    status,
    async start(saga, instanceId, input, options) {
      if (!options?.fresh) {
        const existing = await status(instanceId);
        if (existing && !TERMINAL_INSTANCE_STATES.includes(existing.state)) return 'exists';
      }
      try {
        await client.startNew(saga.name, { instanceId, input });
        return 'started';
      } catch (err) {
        // Two starters raced: the extension answers 500 for a live id; report the one that won.
        const now = await status(instanceId);
        if (now && !TERMINAL_INSTANCE_STATES.includes(now.state)) return 'exists';
        throw err instanceof SystemError ? err : engineUnavailable(err);
      }
    },
    async raise(instanceId, event, payload, known) {
      // The extension answers 410 for an ended instance and the library swallows it, so the
      // status is what tells 'gone' from 'raised'.
      const existing = known ?? (await status(instanceId));
      if (!existing) return 'missing';
      if (TERMINAL_INSTANCE_STATES.includes(existing.state)) return 'gone';
      try {
        await engine(() => client.raiseEvent(instanceId, event.name, payload));
        return 'raised';
      } catch (err) {
        if (isNotFound(err)) return 'missing';
        throw err;
      }
    },
    async terminate(instanceId, reason) {
      try {
        await engine(() => client.terminate(instanceId, reason));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}
