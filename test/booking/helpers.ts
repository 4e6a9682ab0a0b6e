// Shared steps of the booking end-to-end tests, all over HTTP against the local host: sign in,
// create a movie, a venue with one small screen and a show starting at a chosen offset (operator
// APIs), book, pay on the simulator's checkout page (its HTML form, as a browser would submit it),
// poll a booking, and read back the events the app published (test/fixtures/booking-events.ts).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { tokenFor } from '../support/tokens.js';
import { classicShowPayload, classicVenuePayload, moviePayload } from '../support/catalog-payloads.js';

export const WEBHOOK_SECRET = 'whsec_test_booking_0123456789abcdef';
export const PAYMENTS_API_KEY = 'sk_test_booking_0123456789abcdef';
export const TICKET_SIGNING_KEY = 'test-ticket-signing-key-0123456789abcdef';
export const MAIN = 'dist/{functions,orchestrations}/**/*.js,dist/test/fixtures/booking-events.js';

/**
 * A host for the booking tests. Without the demo catalog unless `DEMO_DATA: 'true'` is asked for:
 * these tests make their own shows (createShow), and writing the demo's ~3,300 documents at every
 * start was most of a host's start-up time.
 */
export function startBookingHost(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<TestHost> {
  return startHost({
    main: MAIN,
    timeoutMs,
    env: {
      DEMO_DATA: 'false',
      HOLD_TTL_SECONDS: '6',
      PAYMENTS_API_KEY,
      PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TICKET_SIGNING_KEY,
      RECONCILE_SCHEDULE: '*/5 * * * * *',
      ...env,
    },
  });
}

export interface Caller {
  userId: string;
  token: string;
  headers: Record<string, string>;
}

export async function signIn(host: TestHost, userId: string, roles: string[] = ['customer']): Promise<Caller> {
  const token = await tokenFor(host.origin, { sub: userId, name: userId, roles });
  return { userId, token, headers: { authorization: `Bearer ${token}` } };
}

export async function api(
  host: TestHost,
  caller: Caller | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(host.url(path), {
    method,
    headers: {
      ...(caller?.headers ?? {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, body: json as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestShow {
  showId: string;
  startsAt: string;
  /** Seat ids in row order: rows of 10 seats (A–D unless asked otherwise), all "classic". */
  seats: string[];
}

/**
 * The city the test venues are in: the demo catalog has it, a host started with DEMO_DATA=false
 * (much quicker to start: no catalog to load) gets it from the operator, as the demo defines it
 * (shared/demo/names.ts); a venue needs its city (shared/catalog/admin.ts, createVenue).
 */
async function ensureCity(host: TestHost, operator: Caller): Promise<void> {
  const cities = await api(host, undefined, 'GET', '/api/cities');
  expect(cities.status).toBe(200);
  if ((cities.body.items as { id: string }[]).some((c) => c.id === 'blr')) return;
  const city = await api(host, operator, 'PUT', '/api/cities/blr', {
    name: 'Bengaluru',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
  });
  expect(city.status, JSON.stringify(city.body)).toBe(200);
}

/** A venue with one screen of 10-seat rows (40 seats by default) and a show on it starting `hoursFromNow` hours from now. */
export async function createShow(
  host: TestHost,
  operator: Caller,
  hoursFromNow: number,
  price = 20000,
  rowLabels = ['A', 'B', 'C', 'D'],
): Promise<TestShow> {
  await ensureCity(host, operator);
  const movie = await api(
    host,
    operator,
    'POST',
    '/api/movies',
    moviePayload(`Test Movie ${randomUUID().slice(0, 8)}`),
  );
  expect(movie.status, JSON.stringify(movie.body)).toBe(201);
  const venue = await api(
    host,
    operator,
    'POST',
    '/api/venues',
    classicVenuePayload(
      `Test Venue ${randomUUID().slice(0, 8)}`,
      rowLabels.map((label) => ({ label, blocks: [10] })),
    ),
  );
  expect(venue.status, JSON.stringify(venue.body)).toBe(201);
  const startsAt = new Date(Date.now() + hoursFromNow * 3_600_000).toISOString();
  const show = await api(
    host,
    operator,
    'POST',
    '/api/shows',
    classicShowPayload(movie.body.id, venue.body.id, startsAt, price),
  );
  expect(show.status, JSON.stringify(show.body)).toBe(201);
  const seats = rowLabels.flatMap((r) => Array.from({ length: 10 }, (_, i) => `${r}${i + 1}`));
  return { showId: show.body.id as string, startsAt, seats };
}

/** POST /api/bookings with a fresh Idempotency-Key, the given one, or none (null). */
export function book(host: TestHost, caller: Caller, body: unknown, key: string | null = randomUUID()) {
  return api(host, caller, 'POST', '/api/bookings', body, key === null ? {} : { 'idempotency-key': key });
}

/** A 202 is "still working": poll until the hold is decided, as a client would. */
export async function settled(host: TestHost, caller: Caller, r: Awaited<ReturnType<typeof book>>) {
  if (r.status !== 202) return { status: r.status, body: r.body };
  const b = await waitForBooking(
    host,
    caller,
    r.body.bookingId,
    (x) => !['pending', 'held'].includes(String(x.status)),
    30_000,
  );
  return b.status === 'failed'
    ? { status: 409, body: { code: b.failure.code, seats: b.failure.seats ?? [] } }
    : { status: 201, body: b };
}

/**
 * Submits the checkout page's form the way a browser does: GET the page, find the form and its
 * button, POST application/x-www-form-urlencoded to the form's URL. Extra fields are the
 * simulator's behaviour overrides (decline, webhook=never, webhookDelayMs, duplicateWebhook,
 * refundFailures). Answers the redirect back to the booking.
 */
export async function checkout(
  paymentUrl: string,
  action: 'pay' | 'decline' | 'abandon',
  extra: Record<string, string> = {},
) {
  // The booking's payment link redirects (303) to the provider's page; a provider URL is the page.
  const page = await fetch(paymentUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post"( action="([^"]*)")?>/.exec(html);
  expect(form, 'the checkout page has a form').toBeTruthy();
  expect(html).toContain(`name="action" value="${action}"`);
  const target = new URL(form![2] ?? '', page.url).toString();
  const res = await fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, ...extra }).toString(),
  });
  return { status: res.status, location: res.headers.get('location') };
}

/**
 * Follows the booking's own payment link (GET …/checkout, no bearer token, like a browser) to the
 * provider's checkout page URL: 303 with the session's URL (the link waits for the session).
 */
export async function providerCheckoutUrl(paymentUrl: string): Promise<string> {
  const res = await fetch(paymentUrl, { redirect: 'manual' });
  expect(res.status, `the payment link answered ${res.status}: ${await res.clone().text()}`).toBe(303);
  return new URL(res.headers.get('location')!, paymentUrl).toString();
}

export async function waitForBooking(
  host: TestHost,
  caller: Caller,
  bookingId: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  until: (b: Record<string, any>) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const r = await api(host, caller, 'GET', `/api/bookings/${bookingId}`);
    last = r.body;
    if (r.status === 200 && until(r.body)) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(
    `booking ${bookingId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 1500)}`,
  );
}

export const statusIs =
  (...statuses: string[]) =>
  (b: Record<string, unknown>) =>
    statuses.includes(String(b.status));

export async function eventsOf(
  host: TestHost,
  bookingId: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ messageId: string; body: Record<string, any> }[]> {
  const r = await api(host, undefined, 'GET', `/api/_test/booking-events?bookingId=${encodeURIComponent(bookingId)}`);
  return r.body.items;
}

/** Waits until the recorder has seen events of each of `types` for the booking. */
export async function waitForEvents(host: TestHost, bookingId: string, types: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await eventsOf(host, bookingId);
    if (types.every((t) => items.some((i) => i.body.type === t))) return items;
    if (Date.now() > deadline) {
      const saga = await api(
        host,
        undefined,
        'GET',
        `/runtime/webhooks/durabletask/instances/${encodeURIComponent(bookingId)}?showHistory=true`,
        undefined,
        host.admin,
      );
      const lines = host
        .output()
        .split('\n')
        .filter((l) => /warn|error|fail/i.test(l))
        .slice(-30)
        .join('\n');
      throw new Error(
        `events ${types.join(', ')} not all seen for ${bookingId}; got ${items.map((i) => i.body.type).join(', ')}\nsaga: ${JSON.stringify(saga.body).slice(0, 3000)}\nhost warnings:\n${lines}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Books `seatIds` and pays on the checkout page; resolves to the confirmed booking. */
export async function bookAndPay(
  host: TestHost,
  caller: Caller,
  showId: string,
  seatIds: string[],
  extra: Record<string, string> = {},
) {
  const r = await book(host, caller, { showId, seatIds });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const paid = await checkout(r.body.paymentUrl, 'pay', extra);
  expect(paid.status).toBe(303);
  return waitForBooking(host, caller, r.body.bookingId, statusIs('confirmed'));
}
