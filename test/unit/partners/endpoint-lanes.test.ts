// The per-endpoint lanes of partner webhook delivery (shared/partners/endpoint-lanes.ts): what one
// slow or failing endpoint may hold, and what it may not. Sends are promises the test settles by
// hand, so every assertion is about order and outcome, never about how long something took.
import { describe, expect, it } from 'vitest';
import { EndpointLanes, type LaneLimits } from '../../../shared/partners/endpoint-lanes.js';

interface Sent {
  ok: boolean;
}

function deferred() {
  let resolve!: (v: Sent) => void;
  const promise = new Promise<Sent>((r) => (resolve = r));
  return { promise, resolve };
}

const limits = (over: Partial<LaneLimits> = {}): LaneLimits => ({
  concurrency: 2,
  queue: 8,
  queueWaitMs: 60_000,
  circuitFailures: 3,
  circuitOpenMs: 60_000,
  ...over,
});

const lanesWith = (over: Partial<LaneLimits> = {}, clock?: () => number) =>
  new EndpointLanes<Sent>(limits(over), (r) => !r.ok, clock);

/** Whether the promise has settled by the time everything already queued has run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('endpoint lanes', () => {
  it("lets a healthy endpoint's send through while a hanging endpoint holds all of its own slots", async () => {
    const lanes = lanesWith();
    const hang = [deferred(), deferred()];
    const held = hang.map((d) => lanes.run('hanging', () => d.promise));
    const healthy = await lanes.run('healthy', async () => ({ ok: true }));
    expect(healthy).toEqual({ sent: true, value: { ok: true } });
    // The hanging endpoint's sends are still in flight: the healthy one did not wait for them.
    expect(await settled(Promise.race(held))).toBe(false);
    hang.forEach((d) => d.resolve({ ok: true }));
    expect(await Promise.all(held)).toEqual([
      { sent: true, value: { ok: true } },
      { sent: true, value: { ok: true } },
    ]);
  });

  it('queues a send behind a busy endpoint and makes it when a slot frees', async () => {
    const lanes = lanesWith({ concurrency: 1 });
    const first = deferred();
    const running = lanes.run('a', () => first.promise);
    let secondStarted = false;
    const second = lanes.run('a', async () => {
      secondStarted = true;
      return { ok: true };
    });
    expect(await settled(second)).toBe(false);
    expect(secondStarted).toBe(false);
    first.resolve({ ok: true });
    expect(await running).toMatchObject({ sent: true });
    expect(await second).toEqual({ sent: true, value: { ok: true } });
  });

  it('gives up on a slot after the queue wait, says busy, and never makes that send later', async () => {
    const lanes = lanesWith({ concurrency: 1, queueWaitMs: 20 });
    const first = deferred();
    const running = lanes.run('a', () => first.promise);
    let lateSends = 0;
    const second = await lanes.run('a', async () => {
      lateSends++;
      return { ok: true };
    });
    expect(second).toEqual({ sent: false, reason: 'busy' });
    first.resolve({ ok: true });
    await running;
    await new Promise((r) => setImmediate(r));
    expect(lateSends).toBe(0);
    // The lane works on: the next send goes.
    expect(await lanes.run('a', async () => ({ ok: true }))).toMatchObject({ sent: true });
  });

  it('queues nothing behind slots held by sends older than the queue wait (a slow endpoint)', async () => {
    let now = 1_000_000;
    const lanes = lanesWith({ concurrency: 1, queueWaitMs: 60_000 }, () => now);
    const first = deferred();
    const running = lanes.run('slow', () => first.promise);
    now += 60_000;
    // Were this queued, it would wait a minute; it is refused at once instead.
    expect(await lanes.run('slow', async () => ({ ok: true }))).toEqual({ sent: false, reason: 'busy' });
    first.resolve({ ok: false });
    await running;
  });

  it("opens an endpoint's circuit after failures in a row: its sends are not made, other endpoints' are", async () => {
    const lanes = lanesWith({ circuitFailures: 2 });
    for (let i = 0; i < 2; i++) await lanes.run('failing', async () => ({ ok: false }));
    expect(lanes.state('failing')).toBe('open');
    let sends = 0;
    const refused = await lanes.run('failing', async () => {
      sends++;
      return { ok: true };
    });
    expect(refused).toEqual({ sent: false, reason: 'circuit-open' });
    expect(sends).toBe(0);
    expect(await lanes.run('other', async () => ({ ok: true }))).toMatchObject({ sent: true });
    lanes.reset('failing');
    expect(lanes.state('failing')).toBe('closed');
    expect(await lanes.run('failing', async () => ({ ok: true }))).toMatchObject({ sent: true });
  });

  it('lets one probe through once the circuit is due, refuses the rest meanwhile, and closes on its success', async () => {
    const lanes = lanesWith({ circuitFailures: 1, circuitOpenMs: 30 });
    await lanes.run('e', async () => ({ ok: false }));
    expect(lanes.state('e')).toBe('open');
    await new Promise((r) => setTimeout(r, 60));
    const probe = deferred();
    const probing = lanes.run('e', () => probe.promise);
    expect(lanes.state('e')).toBe('half-open');
    // Refused at once rather than queued behind the probe (which could take a whole timeout).
    expect(await lanes.run('e', async () => ({ ok: true }))).toEqual({ sent: false, reason: 'circuit-open' });
    probe.resolve({ ok: true });
    expect(await probing).toMatchObject({ sent: true });
    expect(lanes.state('e')).toBe('closed');
  });

  it('counts a send that was not let through as nothing: a busy lane does not open the circuit', async () => {
    const lanes = lanesWith({ concurrency: 1, queueWaitMs: 10, circuitFailures: 1 });
    const first = deferred();
    const running = lanes.run('a', () => first.promise);
    for (let i = 0; i < 3; i++) expect(await lanes.run('a', async () => ({ ok: true }))).toMatchObject({ sent: false });
    expect(lanes.state('a')).toBe('closed');
    first.resolve({ ok: true });
    await running;
  });
});
