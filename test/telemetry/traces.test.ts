// One booking, one trace (docs/telemetry.md): with the host's telemetry on, the app exports its spans
// over OTLP to the local host, which adds its own (the HTTP request, the orchestration, each
// activity). Read back through the host's traces API with its key: the trace that starts at
// POST /api/bookings holds the saga's activities carrying the bookingId and Cosmos calls under
// them, through to the confirm step (bookingConfirmPaid). Metrics and logs arrive at the same receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { launch, shot } from '../web/browser.js';
import {
  book,
  checkout,
  createShow,
  MAIN,
  PAYMENTS_API_KEY,
  signIn,
  statusIs,
  TICKET_SIGNING_KEY,
  waitForBooking,
  WEBHOOK_SECRET,
  type Caller,
  type TestShow,
} from '../booking/helpers.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  status: string;
  endMs?: number;
  service: string;
  attributes: Record<string, string | number | boolean>;
}

let host: TestHost;
let operator: Caller;
let show: TestShow;
/** The booking the first test traced (the browser test opens its trace). */
let traced: { bookingId: string; traceId: string } | undefined;

beforeAll(async () => {
  // The booking tests' host (test/booking/helpers.ts) with the host's telemetry on.
  host = await startHost({
    main: MAIN,
    timeoutMs: 120_000,
    env: {
      MARQUEE_TELEMETRY: 'true',
      DEMO_DATA: 'true',
      PAYMENTS_API_KEY,
      PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TICKET_SIGNING_KEY,
      // The feature flag's fallback setting (docs/feature-flags.md), checked at the end.
      FEATURE_RECOMMENDATIONS_RAIL: 'false',
    },
  });
  operator = await signIn(host, 'op-traces', ['operator']);
  show = await createShow(host, operator, 48);
}, 150_000);

afterAll(async () => {
  await host?.stop();
});

async function get<T>(
  path: string,
  headers: Record<string, string> = host.admin,
): Promise<{ status: number; body: T }> {
  const res = await fetch(host.url(path), { headers });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls until `check` passes: spans arrive in batches, a moment after the work they describe. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('traces on the local host', () => {
  it('shows one booking as one trace: POST → orchestration → activities with the bookingId → Cosmos → confirmed', async () => {
    const alice = await signIn(host, 'alice-traces');
    const r = await book(host, alice, { showId: show.showId, seatIds: ['B1', 'B2'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const bookingId = String(r.body.bookingId);
    expect((await checkout(String(r.body.paymentUrl), 'pay')).status).toBe(303);
    await waitForBooking(host, alice, bookingId, statusIs('confirmed'));

    // The saga's trace, found by its booking.
    const list = await eventually(
      () => get<{ traceId: string; name: string }[]>(`/.local/traces?attribute=bookingId&value=${bookingId}`),
      (res) => expect(res.body.length).toBeGreaterThan(0),
    );
    const traceIds = [...new Set(list.body.map((t) => t.traceId))];
    expect(traceIds).toHaveLength(1);
    const traceId = traceIds[0]!;
    traced = { bookingId, traceId };

    const trace = await eventually(
      () => get<{ spans: Span[] }>(`/.local/traces/${traceId}`),
      (res) => {
        const names = res.body.spans.map((s) => s.name);
        expect(names).toContain('activity:bookingConfirmPaid');
        expect(names).toContain('saga step bookingConfirmPaid');
        const orchestration = res.body.spans.find((s) => s.name.startsWith('orchestration:'));
        expect(orchestration?.endMs, 'the orchestration span ends when the saga does').toBeDefined();
      },
    );
    const spans = trace.body.spans;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: Span) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const ancestors = (s: Span) => {
      const out: Span[] = [];
      for (let p = parentOf(s); p; p = parentOf(p)) out.push(p);
      return out;
    };

    // The root: the host's span of the HTTP request that started it all.
    const root = spans.find((s) => !s.parentSpanId)!;
    expect(root.name).toBe('POST /api/bookings');
    expect(root.kind).toBe('server');
    expect(root.service).toBe('functions-host');
    expect(root.attributes['http.response.status_code']).toBe(201);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    // Every span hangs under that root (no orphan: the context crossed the Durable boundary).
    for (const s of spans) if (s !== root) expect(ancestors(s), s.name).toContain(root);

    // The orchestration's span, a child of the app's call to start it inside the request.
    const orchestration = spans.find((s) => s.name === 'orchestration:bookingSaga')!;
    expect(orchestration, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(orchestration.attributes['durabletask.task.instance_id']).toBe(bookingId);

    // Each saga step: the host's activity span, and inside it the app's step span with the ids.
    const steps = spans.filter((s) => s.name.startsWith('saga step '));
    const stepNames = steps.map((s) => s.attributes['saga.step']);
    expect(stepNames).toEqual(
      expect.arrayContaining(['bookingHoldSeats', 'bookingCreatePayment', 'bookingConfirmPaid']),
    );
    for (const step of steps) {
      expect(step.service).toBe('marquee-api');
      expect(step.attributes.bookingId).toBe(bookingId);
      const activity = parentOf(step)!;
      expect(activity.name).toBe(`activity:${String(step.attributes['saga.step'])}`);
      expect(parentOf(activity)).toBe(orchestration);
    }
    expect(steps.find((s) => s.attributes['saga.step'] === 'bookingHoldSeats')!.attributes.showId).toBe(show.showId);

    // Cosmos calls under the steps, and the provider's session under createPayment.
    const cosmosUnder = (step: Span) =>
      spans.filter((s) => s.attributes['db.system.name'] === 'azure.cosmosdb' && ancestors(s).includes(step));
    for (const name of ['bookingHoldSeats', 'bookingConfirmPaid']) {
      const step = steps.find((s) => s.attributes['saga.step'] === name)!;
      expect(cosmosUnder(step).length, `Cosmos spans under ${name}`).toBeGreaterThan(0);
    }
    const cosmos = cosmosUnder(steps.find((s) => s.attributes['saga.step'] === 'bookingConfirmPaid')!);
    expect(cosmos.every((s) => s.kind === 'client')).toBe(true);
    expect(cosmos.map((s) => s.attributes['db.collection.name'])).toContain('bookings');
    const createPayment = steps.find((s) => s.attributes['saga.step'] === 'bookingCreatePayment')!;
    expect(spans.some((s) => s.name === 'payments createSession' && ancestors(s).includes(createPayment))).toBe(true);
    // The booking.confirmed event's send through the output binding.
    expect(spans.some((s) => s.kind === 'producer' && s.name.startsWith('servicebus send'))).toBe(true);
    // Nothing the saga did failed. (The HTTP instrumentation's client spans under a Cosmos read that
    // answered 404 are errors by HTTP's conventions; the Cosmos span above them is not.)
    const failed = spans.filter((s) => s.status === 'error' && s.attributes['http.response.status_code'] !== 404);
    expect(failed).toEqual([]);
  });

  it('receives the app metrics: the saga step durations and confirmed bookings', async () => {
    type Point = { name: string; attributes: Record<string, string>; value: number; count?: number };
    await eventually(
      () => get<Point[]>('/.local/metrics'),
      (res) => {
        const step = res.body.find(
          (p) => p.name === 'marquee.saga.step.duration' && p.attributes.step === 'bookingConfirmPaid',
        );
        expect(step, JSON.stringify(res.body.map((p) => [p.name, p.attributes]))).toBeDefined();
        expect(step!.count).toBeGreaterThanOrEqual(1);
        const confirmed = res.body.find((p) => p.name === 'marquee.bookings' && p.attributes.outcome === 'confirmed');
        expect(confirmed?.value).toBeGreaterThanOrEqual(1);
      },
    );
  });

  it('keeps its traces behind the host key and refuses OTLP it cannot read', async () => {
    expect((await get('/.local/traces', {})).status).toBe(401);
    expect((await get('/.local/traces/' + 'f'.repeat(32))).status).toBe(404);
    const send = (body: string, type: string, headers = host.admin) =>
      fetch(host.url('/.local/otlp/v1/traces'), {
        method: 'POST',
        headers: { ...headers, 'content-type': type },
        body,
      });
    expect((await send('{}', 'application/json', {} as typeof host.admin)).status).toBe(401);
    const protobuf = await send('\u0000', 'application/x-protobuf');
    expect(protobuf.status).toBe(415);
    expect(protobuf.headers.get('content-type')).toBe('application/problem+json');
    expect((await send('{not json', 'application/json')).status).toBe(400);
    expect((await send('{}', 'application/json')).status).toBe(200);
  });

  it('draws the trace as a waterfall in the Traces view (chromium)', async () => {
    expect(traced, 'the first test traced a booking').toBeDefined();
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(host.url(`/_console/traces/?code=${encodeURIComponent(host.keys.master)}`));
      // The key leaves the address bar; the list filters by the booking.
      expect(new URL(page.url()).search).toBe('');
      await page.fill('input[name=attribute]', 'bookingId');
      await page.fill('input[name=value]', traced!.bookingId);
      await page.click('#filters button');
      // The unfiltered list may already show this trace, so wait for the filtered list itself: one row.
      await expect.poll(() => page.locator('tr.row').count(), { timeout: 15_000 }).toBe(1);
      const row = page.locator('tr.row', { hasText: traced!.traceId });
      await row.waitFor();
      await row.click();
      const waterfall = page.locator('#waterfall .span');
      await page.locator('#waterfall .name', { hasText: /^activity:bookingConfirmPaid$/ }).waitFor();
      const names = await waterfall.locator('.name').allTextContents();
      expect(names[0]).toBe('POST /api/bookings');
      expect(names).toEqual(expect.arrayContaining(['orchestration:bookingSaga', 'saga step bookingHoldSeats']));
      // Children are indented under their parents.
      const indent = async (name: string) =>
        parseFloat(
          await waterfall
            .locator('.name', { hasText: new RegExp(`^${name}$`) })
            .evaluate((e) => (e as HTMLElement).style.paddingLeft),
        );
      expect(await indent('activity:bookingConfirmPaid')).toBeGreaterThan(await indent('orchestration:bookingSaga'));
      await page.locator('#waterfall .name', { hasText: /^saga step bookingConfirmPaid$/ }).click();
      await expect(page.locator('#detail pre').first().textContent()).resolves.toContain(traced!.bookingId);
      // The picture for docs/screenshots/traces.png: the trace from its root.
      await page.locator('#detail').evaluate((e) => e.scrollTo(0, 0));
      await shot(page, 'traces');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('turns the recommendation rails off with the flag recommendations-rail (its setting, no App Configuration)', async () => {
    // With the flag on, this city's rail has items: it has bookable shows (the demo catalog and ours).
    const shows = (await (await fetch(host.url('/api/shows?city=blr'))).json()) as { items: unknown[] };
    expect(shows.items.length).toBeGreaterThan(0);
    const res = await fetch(host.url('/api/recommendations?city=blr'));
    expect(res.status).toBe(200);
    const rail = (await res.json()) as { city: string; basis: string; items: unknown[] };
    expect(rail).toMatchObject({ city: 'blr', basis: 'trending', items: [] });
  });
});
