// The host's usage meter (local/core/usage.ts) end to end: one booking booked and paid over HTTP, as
// a user does, shows up at GET /.local/usage as the calls it really made — Cosmos DB writes with
// their RU, function executions by trigger, Durable activities and their storage calls, the
// Service Bus event — the reset starts a fresh count, and the route is the control plane's (master key).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, createShow, signIn, startBookingHost, type Caller } from '../booking/helpers.js';

type Usage = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let host: TestHost;
let operator: Caller;

beforeAll(async () => {
  host = await startBookingHost({ HOLD_TTL_SECONDS: '60' });
  operator = await signIn(host, 'op-usage', ['operator']);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

async function usage(): Promise<Usage> {
  const r = await api(host, undefined, 'GET', '/.local/usage', undefined, host.admin);
  expect(r.status).toBe(200);
  return r.body;
}

const writes = (u: Usage) =>
  ['create', 'upsert', 'replace', 'patch', 'delete'].reduce((n, op) => n + u.cosmos[op].requests, 0);

describe('usage meter', () => {
  it('is the control plane: no key or the function key is 401; the master key opens it', async () => {
    expect((await api(host, undefined, 'GET', '/.local/usage')).status).toBe(401);
    const fnKey = { 'x-functions-key': host.keys.function };
    expect((await api(host, undefined, 'GET', '/.local/usage', undefined, fnKey)).status).toBe(401);
    expect((await api(host, undefined, 'POST', '/.local/usage/reset', undefined, fnKey)).status).toBe(401);
    expect((await api(host, undefined, 'DELETE', '/.local/usage')).status).toBe(401);
    const wrong = await api(host, undefined, 'PUT', '/.local/usage', undefined, host.admin);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
  });

  it('counts what one booking made the services do, and a reset starts a fresh count', async () => {
    const show = await createShow(host, operator, 30);
    const customer = await signIn(host, 'usage-customer');
    const reset = await api(host, undefined, 'POST', '/.local/usage/reset', undefined, host.admin);
    expect(reset.status).toBe(200);

    const booking = await bookAndPay(host, customer, show.showId, ['A1', 'A2']);
    expect(booking.status).toBe('confirmed');
    // The saga's last steps (its event on Service Bus) may land just after `confirmed` is readable.
    let u = await usage();
    for (let i = 0; i < 60 && !(u.serviceBus.sent >= 1 && u.serviceBus.completed >= 1); i++) {
      await new Promise((r) => setTimeout(r, 500));
      u = await usage();
    }
    expect(u.functions.httpTrigger).toBeGreaterThanOrEqual(2); // POST /api/bookings, reads, the provider's webhook
    expect(u.functions.orchestrationTrigger).toBeGreaterThan(0);
    expect(u.functions.activityTrigger).toBeGreaterThan(0);
    expect(writes(u)).toBeGreaterThan(0);
    expect(u.cosmos.read.requests + u.cosmos.query.requests).toBeGreaterThan(0);
    expect(u.cosmos.replace.ruEstimated + u.cosmos.create.ruEstimated + u.cosmos.upsert.ruEstimated).toBeGreaterThan(0);
    expect(u.http.cosmos).toBeGreaterThan(0);
    expect(u.durable.orchestrationsStarted).toBeGreaterThanOrEqual(1);
    expect(u.durable.activitiesScheduled).toBeGreaterThan(0);
    expect(u.durable.activityResults).toBeGreaterThan(0);
    expect(u.durableActions).toBeGreaterThanOrEqual(1 + u.durable.activitiesScheduled);
    expect(u.storage.table).toBeGreaterThan(0); // the Durable engine's history in Azurite
    expect(u.serviceBus.sent).toBeGreaterThanOrEqual(1);
    expect(u.serviceBus.enqueued).toBeGreaterThanOrEqual(u.serviceBus.sent);
    expect(u.serviceBus.received).toBeGreaterThanOrEqual(1);

    const ended = await api(host, undefined, 'DELETE', '/.local/usage', undefined, host.admin);
    expect(ended.status).toBe(200);
    expect(ended.body.functions.httpTrigger).toBeGreaterThanOrEqual(u.functions.httpTrigger);
    const fresh = await usage();
    // Nothing but this test calls the app's HTTP functions, and nothing was booked since the reset.
    expect(fresh.functions.httpTrigger ?? 0).toBe(0);
    expect(Date.parse(fresh.since)).toBeGreaterThanOrEqual(Date.parse(u.since));
  });
});
