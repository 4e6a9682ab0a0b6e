// Fuzzing every HTTP route of the app through the local host over real HTTP (fast-check, bounded).
// The routes come from the host's own table of the app's registrations (/.local/functions), never
// from a hand list; each generated request picks a route and a method (mostly one it accepts), fills
// its route values with real ids, hostile ids ('/', '\', '#', spaces, over-long, control
// characters) or noise, and adds a query, a JSON or non-JSON body, headers and a token (a real
// customer's, operator's or partner's, a forged one, or none). Whatever comes back must not be a
// 5xx, and every error must be application/problem+json whose status is the answer's.
// Shortened under CI (a few hundred requests); `npm run fuzz` runs thousands (FUZZ_RUNS).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { tokenFor } from '../support/tokens.js';
import { api, book, createShow, waitForBooking } from '../booking/helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 300 : 500));
const MASTER_KEY = 'fuzz-master-key-0123456789';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface HttpRoute {
  name: string;
  /** The route template after the prefix, e.g. "shows/{showId}/seats". */
  template: string;
  methods: string[];
}

let host: TestHost;
let routes: HttpRoute[];
const tokens: Record<string, string> = {};
const known = { ids: [] as string[], query: [] as Record<string, string>[] };

/** The app's HTTP routes as the host compiled them from the registrations. */
async function routeTable(): Promise<HttpRoute[]> {
  const res = await fetch(host.url('/.local/functions'), { headers: { 'x-functions-key': MASTER_KEY } });
  expect(res.status).toBe(200);
  const functions = (await res.json()) as {
    name: string;
    bindings: Record<string, { type: string; route?: string; methods?: string[] }>;
  }[];
  return functions.flatMap((f) =>
    Object.values(f.bindings)
      .filter((b) => b.type.toLowerCase() === 'httptrigger')
      .map((b) => ({
        name: f.name,
        template: b.route ?? f.name,
        methods: (b.methods?.length ? b.methods : ['GET', 'POST']).map((m) => m.toUpperCase()),
      })),
  );
}

/** Real ids (a city, movie, venue, layout, show and booking), so requests also reach past the lookups. */
async function collectKnownIds(): Promise<void> {
  const operator = {
    userId: 'fuzz-operator',
    token: tokens.operator!,
    headers: { authorization: `Bearer ${tokens.operator}` },
  };
  const city = await api(host, operator, 'PUT', '/api/cities/blr', {
    name: 'Bengaluru',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
  });
  expect(city.status, JSON.stringify(city.body)).toBe(200);
  const show = await createShow(host, operator, 48);
  const found = await api(host, operator, 'GET', `/api/shows/${show.showId}`);
  const seats = await api(host, undefined, 'GET', `/api/shows/${show.showId}/seats`);
  known.ids.push('blr', show.showId, found.body.movieId, found.body.venueId, seats.body.layoutId, 'fuzz-customer');
  const customer = {
    userId: 'fuzz-customer',
    token: tokens.customer!,
    headers: { authorization: `Bearer ${tokens.customer}` },
  };
  const booking = await book(host, customer, { showId: show.showId, quantity: 2 });
  expect([201, 202], JSON.stringify(booking.body)).toContain(booking.status);
  known.ids.push(booking.body.bookingId);
  // The payment link's query (u, t) lets the checkout route get past its token check.
  const view = await waitForBooking(host, customer, booking.body.bookingId, (b) => !!b.paymentUrl);
  known.query.push(Object.fromEntries(new URL(view.paymentUrl).searchParams));
}

beforeAll(async () => {
  host = await startHost({
    timeoutMs: 60_000,
    env: {
      MARQUEE_MASTER_KEY: MASTER_KEY,
      BOOKING_HOLD_WAIT_MS: '200',
      CANCEL_WAIT_MS: '200',
      // The fuzz is one client at full speed: limits it would hit are tested in test/host/edge.test.ts.
      RATE_LIMIT_USER_PER_SECOND: '1000000',
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '1000000',
      RATE_LIMIT_BOOKINGS_PER_MINUTE: '1000000',
    },
  });
  for (const role of ['customer', 'operator', 'partner'])
    tokens[role] = await tokenFor(host.origin, { sub: `fuzz-${role}`, roles: [role] });
  routes = await routeTable();
  await collectKnownIds();
}, 120_000);

afterAll(async () => {
  await host?.stop();
});

const HOSTILE = [
  '/',
  'a/b',
  '\\',
  'a\\b',
  '#',
  'a#b',
  ' ',
  '   ',
  '?',
  '%',
  '..',
  '.',
  '\u0000',
  '\n',
  'é',
  '😀',
  "'; --",
  '<script>',
  '${x}',
  'x'.repeat(129),
  'x'.repeat(3000),
];

function arbitraries() {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known.ids) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{3}-[a-z0-9-]{1,20}$/) },
  );
  const scalar = fc.oneof(
    id,
    fc.integer({ min: -5, max: 2000 }).map(String),
    fc.constantFrom('', 'true', 'false', 'null', '2026-12-24', 'upcoming', 'past', 'all', 'A1,A2', 'A1'),
  );
  const queryKey = fc.constantFrom(
    'city',
    'date',
    'movieId',
    'venueId',
    'showId',
    'seatIds',
    'q',
    'limit',
    'continuation',
    'when',
    'u',
    't',
    'genre',
    'format',
    'language',
    'status',
    'code',
  );
  const query = fc.oneof(
    fc.dictionary(queryKey, scalar, { maxKeys: 4 }),
    known.query.length ? fc.constantFrom(...known.query) : fc.constant({}),
  );
  const jsonish = fc.jsonValue({ maxDepth: 3 });
  const bookingLike = fc.record(
    {
      showId: id,
      seatIds: fc.oneof(fc.array(scalar, { maxLength: 12 }), jsonish),
      quantity: fc.oneof(fc.integer({ min: -2, max: 12 }), jsonish),
      category: scalar,
      wheelchair: fc.oneof(fc.boolean(), jsonish),
      count: fc.integer({ min: -1, max: 12 }),
      code: scalar,
      kind: fc.constantFrom('movie', 'event', 'x'),
      title: fc.string({ maxLength: 300 }),
      startsAt: fc.oneof(
        fc.date().map((d) => (isNaN(d.getTime()) ? 'x' : d.toISOString())),
        scalar,
      ),
      movieId: id,
      venueId: id,
      screenId: scalar,
      prices: jsonish,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: bookingLike.map((b) => ({ type: 'application/json', text: JSON.stringify(b) })) },
    { weight: 2, arbitrary: jsonish.map((v) => ({ type: 'application/json', text: JSON.stringify(v) })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"showId":', '[', '{}}', 'null', '""', '\u0000', '{"a":1}'.repeat(3000))
        .map((text) => ({ type: 'application/json', text })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/xml',
            '',
            'multipart/form-data',
          ),
          fc.string({ maxLength: 200 }),
        )
        .map(([type, text]) => ({ type, text })),
    },
  );
  const authorization = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.constantFrom('customer', 'operator', 'partner').map((r) => `Bearer ${tokens[r]}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Bearer x',
        'Bearer ',
        'Basic Zm9vOmJhcg==',
        'Bearer a.b.c',
        `Bearer ${tokens.customer}x`,
      ),
    },
  );
  const headers = fc.record(
    {
      authorization,
      'idempotency-key': fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }), fc.constant('')),
      'if-none-match': fc.oneof(fc.constant('*'), fc.string({ maxLength: 40 })),
      'marquee-signature': fc.oneof(fc.constant('t=1,v1=00'), fc.string({ maxLength: 60 })),
      accept: fc.constantFrom('application/json', 'text/html', '*/*'),
    },
    { requiredKeys: [] },
  );
  const route = fc.constantFrom(...routes);
  return fc.record({
    route,
    params: fc.array(fc.tuple(id, fc.boolean()), { minLength: 4, maxLength: 4 }),
    otherMethod: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constantFrom(...METHODS)),
    methodIndex: fc.nat(),
    query,
    body,
    headers,
  });
}

/** The path for a template, its values percent-encoded (or, when `raw`, as they are). */
function pathFor(template: string, params: [string, boolean][]): string {
  let i = 0;
  const path = template.replace(/\{\*?([^}:?]+)[^}]*\}/g, () => {
    const [value, raw] = params[i++ % params.length]!;
    return raw
      ? [...value].map((c) => (c <= ' ' || c === '?' || c === '#' ? encodeURIComponent(c) : c)).join('')
      : encodeURIComponent(value);
  });
  return `/api/${path}`;
}

function headerValue(value: string): string {
  // fetch refuses what no HTTP header may hold; the host never sees it either.
  return [...value].filter((c) => c >= ' ' && c < '\u007f').join('');
}

describe('fuzzing every HTTP route', () => {
  it(`answers ${RUNS} generated requests with no 5xx and only problem+json errors`, async () => {
    expect(routes.length).toBeGreaterThan(20);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arbitraries(), async (r) => {
        const method = r.otherMethod ?? r.route.methods[r.methodIndex % r.route.methods.length]!;
        const search = new URLSearchParams(r.query).toString();
        const path = pathFor(r.route.template, r.params) + (search ? `?${search}` : '');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers[k] = headerValue(v);
        const withBody = r.body && method !== 'GET' && method !== 'HEAD';
        if (withBody && r.body!.type) headers['content-type'] = r.body!.type;
        const res = await fetch(host.url(path), {
          method,
          headers,
          body: withBody ? r.body!.text : undefined,
          redirect: 'manual',
        });
        const text = await res.text();
        const what = `${method} ${path} → ${res.status} ${text.slice(0, 300)}`;
        seen.set(`${res.status}`, (seen.get(`${res.status}`) ?? 0) + 1);
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), what).toBe('application/problem+json');
          if (method !== 'HEAD') expect((JSON.parse(text) as { status: number }).status, what).toBe(res.status);
        }
      }),
      { numRuns: RUNS },
    );
    // Most requests must get past the router: a fuzz that only meets 404s tests nothing.
    const notFound = seen.get('404') ?? 0;
    expect(notFound, JSON.stringify(Object.fromEntries(seen))).toBeLessThan(RUNS * 0.6);
  }, 600_000);
});
