// Operations on an instance from outside: raise an event, terminate, suspend, resume, purge. Each
// answers with the outcome the HTTP API maps to a status code; state changes are stored before
// the call returns, so a 202 is never lost to a crash.
import type { Engine } from './engine.js';
import { event, EventType, toJsonText, type HistoryEvent } from './history.js';
import { TERMINAL, type InstanceRecord } from './store.js';

export type ControlResult = 'accepted' | 'notFound' | 'gone';

async function lookup(engine: Engine, id: string): Promise<InstanceRecord | undefined> {
  return engine.live.get(id)?.record ?? (await engine.store.getInstance(id));
}

export async function raiseEvent(
  engine: Engine,
  id: string,
  name: string,
  inputText: string | null,
): Promise<ControlResult> {
  const rec = await lookup(engine, id);
  if (!rec) return 'notFound';
  if (TERMINAL.has(rec.status)) return 'gone';
  const e = event(EventType.EventRaised, new Date(), { Name: name, Input: inputText });
  // Stored in the instance's inbox first: the event survives a crash before its episode.
  const inboxKey = await engine.store.addInbox(id, e);
  const inst = engine.live.get(id);
  if (inst) engine.deliver(inst, { event: e, inboxKey });
  return 'accepted';
}

export async function terminate(engine: Engine, id: string, reason: unknown): Promise<ControlResult> {
  return change(engine, id, async (rec, append) => {
    await append([
      event(EventType.ExecutionTerminated, new Date(), { Input: toJsonText(reason) }),
      event(EventType.ExecutionCompleted, new Date(), {
        OrchestrationStatus: 'Terminated',
        Result: toJsonText(reason),
      }),
    ]);
    rec.status = 'Terminated';
    rec.output = toJsonText(reason);
    return 'finish';
  });
}

export async function suspend(engine: Engine, id: string, reason: unknown): Promise<ControlResult> {
  return change(engine, id, async (rec, append) => {
    if (rec.status === 'Suspended') return 'keep';
    await append([event(EventType.ExecutionSuspended, new Date(), { Input: toJsonText(reason) })]);
    rec.status = 'Suspended';
    return 'keep';
  });
}

export async function resume(engine: Engine, id: string, reason: unknown): Promise<ControlResult> {
  return change(engine, id, async (rec, append) => {
    if (rec.status !== 'Suspended') return 'keep';
    await append([event(EventType.ExecutionResumed, new Date(), { Input: toJsonText(reason) })]);
    rec.status = 'Running';
    return 'keep';
  });
}

type Mutation = (rec: InstanceRecord, append: (events: HistoryEvent[]) => Promise<void>) => Promise<'finish' | 'keep'>;

/** Runs a change as the instance's next turn, so it never interleaves with an episode. */
async function change(engine: Engine, id: string, mutate: Mutation): Promise<ControlResult> {
  const inst = engine.live.get(id);
  if (!inst) {
    const rec = await engine.store.getInstance(id);
    if (!rec) return 'notFound';
    return 'gone';
  }
  return inst.exclusive(async () => {
    if (inst.closed) return 'gone';
    const rec = inst.record;
    const append = async (events: HistoryEvent[]) => {
      inst.rowKeys.push(...(await engine.store.commit(id, rec.executionId, inst.history.length, events)));
      for (const e of events) e.IsPlayed = true;
      inst.history.push(...events);
    };
    const next = await mutate(rec, append);
    rec.lastUpdatedTime = new Date().toISOString();
    if (next === 'finish') await engine.finish(inst);
    else {
      await engine.rows.now(rec);
      engine.kick(inst);
    }
    return 'accepted';
  });
}

export async function purge(engine: Engine, id: string): Promise<'deleted' | 'notFound' | 'notTerminal'> {
  const rec = await lookup(engine, id);
  if (!rec) return 'notFound';
  if (!TERMINAL.has(rec.status)) return 'notTerminal';
  await engine.store.purge(id);
  return 'deleted';
}
