// The waiting room page in Chromium against the local host (docs/architecture.md, Waiting room): a
// customer opens a show sold through its queue, is sent to the queue, sees the place fall live as
// the people ahead are let in, lands on the seat map with the admission's countdown, and books.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { context, launch, seatsIn, shot, showsIn, signIn } from './browser.js';

let host: TestHost;
let browser: Browser;
let ctx: BrowserContext;
const problems: string[] = [];
const AHEAD = 8;

beforeAll(async () => {
  [host, browser] = await Promise.all([
    startHost({
      env: { DEMO_DATA: 'true', WAITING_ROOM_SETTLE_MS: '300', WAITING_ROOM_CACHE_MS: '100' },
      timeoutMs: 90_000,
    }),
    launch(),
  ]);
  ctx = await context(browser, problems);
}, 120_000);

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${host.origin}${path}`, {
    method,
    headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

it('waits in the queue, sees the place fall live, is admitted and books', async () => {
  const [show] = await showsIn(host.origin, 2);
  const operator = await tokenFor(host.origin, { sub: 'wr-ops', roles: ['operator'] });
  const opensAt = Date.now() + 10_000;
  // One let in every 3 s: the page has time to show each step.
  const on = await call(operator, 'PUT', `/api/ops/shows/${show!.id}/waiting-room`, {
    opensAt: new Date(opensAt).toISOString(),
    admitPerMinute: 20,
    admissionMinutes: 10,
  });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  for (let i = 0; i < AHEAD; i++) {
    const token = await tokenFor(host.origin, { sub: `wr-ahead-${i}`, roles: ['customer'] });
    expect((await call(token, 'POST', `/api/shows/${show!.id}/queue`)).status).toBe(201);
  }

  const page = await ctx.newPage();
  await signIn(page, host.origin, 'Asha Rao', `/shows/${show!.id}`);
  await page.getByText('This sale has a queue').waitFor();
  await page.getByText(/Sale opens at/).waitFor();
  // Join after opening: behind the eight who drew their places at the opening.
  while (Date.now() < opensAt + 500) await page.waitForTimeout(200);
  await page.getByRole('link', { name: 'Join the queue' }).click();
  await page.waitForURL(/\/queue$/);
  await page.getByTestId('wr-position').waitFor({ timeout: 20_000 });
  const seen = new Set<number>();
  while (!/\/shows\/[^/]+$/.test(new URL(page.url()).pathname)) {
    const text = await page
      .getByTestId('wr-position')
      .textContent({ timeout: 500 })
      .catch(() => null);
    if (text) seen.add(Number(text));
    if (seen.size === 1) await shot(page, 'waiting-room');
    await page.waitForTimeout(150);
  }
  const positions = [...seen];
  // Several places, each lower than the last, ending near the front.
  expect(positions.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < positions.length; i++) expect(positions[i]!).toBeLessThan(positions[i - 1]!);
  expect(Math.min(...positions)).toBeLessThanOrEqual(2);

  await page.getByTestId('admission-countdown').waitFor();
  await page.locator('.live-live').waitFor({ timeout: 15_000 });
  const free = await seatsIn(page, 'available');
  await page.locator(`[data-seat="${free[Math.floor(free.length / 2)]}"]`).click();
  await page.locator(`[data-seat="${free[Math.floor(free.length / 2) + 1]}"]`).click();
  await page.getByRole('button', { name: /^Book 2 seats$/ }).click();
  await page.waitForURL(/\/bookings\/bk_/);
  await shot(page, 'waiting-room-booked');
  expect(problems).toEqual([]);
}, 180_000);
