// A customer's journey without dead ends, in Chromium against the local host with the demo catalog.
// The hold is long (HOLD_TTL_SECONDS 600): nothing here may wait for it to run out. Abandon the
// checkout and release the seats, then book others (and, with another booking in progress, release
// it from the seat map); a declined card tried again on the same seats; after a partial cancel, My
// bookings shows charged, refunded and net; an unknown show is a not-found page; the sign-in is
// shared by a new tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { context, launch, seatsIn, shot, showsIn, signIn, type ShowRef } from './browser.js';
import { bookTwo, openSeatMap, payInPopup } from './checkout.js';

let host: TestHost;
let browser: Browser;
let shows: ShowRef[];
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([
    startHost({ env: { DEMO_DATA: 'true', HOLD_TTL_SECONDS: '600' }, timeoutMs: 90_000 }),
    launch(),
  ]);
  shows = await showsIn(host.origin, 3);
  expect(shows.length).toBeGreaterThanOrEqual(4);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

async function newPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await context(browser, problems);
  contexts.push(ctx);
  return { ctx, page: await ctx.newPage() };
}

/** Clicks two free neighbouring seats of one row, `skip` pairs into the free seats. */
async function chooseTwo(page: Page, skip = 0): Promise<string[]> {
  const free = await seatsIn(page, 'available');
  const start = Math.floor(free.length / 3) + skip * 4;
  for (const id of free.slice(start, start + 2)) await page.locator(`[data-seat="${id}"]`).click();
  const chosen = await seatsIn(page, 'selected');
  expect(chosen).toHaveLength(2);
  return chosen;
}

/** The API's view of a booking, read with the page's own session (as the page would). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function apiBooking(page: Page, bookingId: string): Promise<Record<string, any>> {
  return page.evaluate(async (id) => {
    const s = JSON.parse(localStorage.getItem('marquee.session')!) as { token: string };
    const res = await fetch(`/api/bookings/${id}`, { headers: { authorization: `Bearer ${s.token}` } });
    return res.json();
  }, bookingId);
}

/** "₹1,234.50" → 123450 (minor units). */
const minor = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.]/g, '')) * 100);

describe('no dead ends', () => {
  it('abandons a checkout, releases the seats at once and books others; a second booking releases the first from the seat map', async () => {
    const show = shows[0]!;
    const viewer = await newPage();
    await openSeatMap(viewer.page, host.origin, show.id);

    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Asha Rao', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const first = await chooseTwo(page);
    await bookTwo(page);
    // The cancellation policy is shown before paying.
    await expect
      .poll(() => page.getByTestId('policy').textContent())
      .toMatch(/Cancellation policy:.*refund|non-refundable/);
    await payInPopup(ctx, page, 'abandon');
    await expect.poll(() => page.locator('.status-line').textContent()).toMatch(/Payment not completed/);

    await page.getByRole('button', { name: 'Release seats' }).click();
    await page.getByRole('heading', { name: 'Seats released' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.status-line').textContent()).toMatch(/Nothing was charged/);
    for (const s of first)
      await viewer.page.locator(`[data-seat="${s}"][data-state="available"]`).waitFor({ timeout: 15_000 });
    await shot(page, 'released');

    await page.getByRole('link', { name: 'Choose seats again' }).click();
    await openSeatMap(page, host.origin, show.id);
    const second = await chooseTwo(page, 1);
    expect(second).not.toEqual(first);
    const secondId = await bookTwo(page);

    // Another booking for the show while this one is held: resume it, or release it from here.
    await openSeatMap(page, host.origin, show.id);
    const third = await chooseTwo(page, 2);
    await page.getByRole('button', { name: /^Book 2 seats$/ }).click();
    const alert = page.locator('.messages [role="alert"]');
    await expect.poll(() => alert.textContent()).toMatch(/already have a booking in progress/);
    expect(await alert.getByRole('link', { name: 'Resume that booking' }).getAttribute('href')).toBe(
      `/bookings/${secondId}`,
    );
    await shot(page, 'booking-in-progress');
    await alert.getByRole('button', { name: 'Release it and book these seats' }).click();
    await page.waitForURL((u) => /\/bookings\/bk_/.test(u.pathname) && !u.pathname.endsWith(secondId));
    await page.getByTestId('countdown').waitFor();
    expect((await apiBooking(page, secondId)).failure.code).toBe('HOLD_RELEASED');
    for (const s of third)
      await viewer.page.locator(`[data-seat="${s}"][data-state="taken"]`).waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
  }, 180_000);

  it('tries a declined card again on the same seats and confirms, without waiting for the hold', async () => {
    const show = shows[1]!;
    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Vikram Shah', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const seats = await chooseTwo(page);
    const bookingId = await bookTwo(page);
    await payInPopup(ctx, page, 'decline');
    await page.getByRole('heading', { name: 'Payment declined' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.status-line').textContent()).toMatch(/still held/);
    await shot(page, 'payment-declined');

    await page.getByRole('button', { name: /^Try paying again/ }).click();
    await page.getByRole('link', { name: /^Pay / }).waitFor({ timeout: 20_000 });
    await payInPopup(ctx, page, 'pay');
    await page.getByRole('heading', { name: "You're going!" }).waitFor({ timeout: 30_000 });
    const tickets = page.locator('.ticket');
    await expect.poll(() => tickets.count(), { timeout: 10_000 }).toBe(2);
    const b = await apiBooking(page, bookingId);
    expect(b).toMatchObject({ status: 'confirmed', paymentTry: 2 });
    expect([...b.seatIds].sort()).toEqual([...seats].sort());
    expect(problems).toEqual([]);
  }, 180_000);

  it('after a partial cancel, My bookings shows what was charged, refunded and the net', async () => {
    const show = shows[2]!;
    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Lena Fischer', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const seats = await chooseTwo(page);
    const bookingId = await bookTwo(page);
    await payInPopup(ctx, page, 'pay');
    await page.getByRole('heading', { name: "You're going!" }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Cancel tickets…' }).click();
    await page.getByRole('checkbox', { name: seats.sort()[1]! }).uncheck();
    await page.getByRole('button', { name: 'See refund' }).click();
    const quoted = minor(await page.getByTestId('refund-amount').textContent());
    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    await page.locator('[data-cancellation="completed"]').waitFor({ timeout: 30_000 });

    const b = await apiBooking(page, bookingId);
    expect(b.refunded.minor).toBe(quoted);
    expect(b.net.minor).toBe(b.charged.minor - quoted);
    // The booking page and the history agree with the server's figures.
    await page.getByTestId('money').locator('[data-money="net"]').waitFor();
    expect(minor(await page.getByTestId('money').locator('[data-money="net"]').textContent())).toBe(b.net.minor);

    await page.getByRole('link', { name: 'My bookings', exact: true }).click();
    const item = page.locator('.history-item', { has: page.locator(`a[href="/bookings/${bookingId}"]`) });
    await item.waitFor();
    const money = item.getByTestId('money');
    expect(minor(await money.locator('[data-money="charged"]').textContent())).toBe(b.charged.minor);
    expect(minor(await money.locator('[data-money="refunded"]').textContent())).toBe(quoted);
    expect(minor(await money.locator('[data-money="net"]').textContent())).toBe(b.net.minor);
    await shot(page, 'history-money', true);
    expect(problems).toEqual([]);
  }, 180_000);

  it('lists a released booking apart, without an amount, and keeps the sign-in in a new tab', async () => {
    const show = shows[3]!;
    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Vikram Shah', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    await chooseTwo(page);
    const bookingId = await bookTwo(page);
    await page.getByRole('button', { name: 'Release seats' }).click();
    await page.getByRole('heading', { name: 'Seats released' }).waitFor({ timeout: 20_000 });

    // A new tab of the same browser is signed in already.
    const tab = await ctx.newPage();
    await tab.goto(`${host.origin}/me/bookings`);
    await tab.getByRole('heading', { name: 'My bookings' }).waitFor();
    const unpaid = tab.getByTestId('history-unpaid');
    const item = unpaid.locator('.history-item', { has: tab.locator(`a[href="/bookings/${bookingId}"]`) });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/Nothing charged/);
    expect(await item.locator('.badge').textContent()).toBe('Released');
    expect(await tab.getByTestId('history-paid').locator(`a[href="/bookings/${bookingId}"]`).count()).toBe(0);
    // Signing out in one tab signs out the other.
    await tab.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows a not-found page for an unknown show, movie or booking', async () => {
    const { page } = await newPage();
    await page.goto(`${host.origin}/shows/shw_does_not_exist`);
    await page.getByRole('heading', { name: 'Show not found' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/NOT_FOUND/);
    await page.getByRole('link', { name: "Browse what's on" }).waitFor();
    await shot(page, 'not-found');
    await page.goto(`${host.origin}/movies/mov-does-not-exist`);
    await page.getByRole('heading', { name: 'Title not found' }).waitFor({ timeout: 30_000 });
    await signIn(page, host.origin, 'Asha Rao', '/bookings/bk_doesnotexist0000000000');
    await page.getByRole('heading', { name: 'Booking not found' }).waitFor({ timeout: 30_000 });
    // No uncaught error on the way.
    expect(problems).toEqual([]);
  }, 90_000);
});
