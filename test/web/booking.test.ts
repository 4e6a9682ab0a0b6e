// The web client end to end, in Chromium against the local host with the demo catalog: book and
// pay while another viewer watches the seats go live, let a checkout lapse and see the seats come
// back, cancel with the refund quote shown first, and admit a ticket at the door.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { context, dateIn, launch, seatsIn, shot, showsIn, signIn, type ShowRef } from './browser.js';
import { bookTwo, openSeatMap, payInPopup } from './checkout.js';

const HOLD_SECONDS = 15;
let host: TestHost;
let browser: Browser;
let shows: ShowRef[];
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([
    startHost({ env: { DEMO_DATA: 'true', HOLD_TTL_SECONDS: String(HOLD_SECONDS) }, timeoutMs: 90_000 }),
    launch(),
  ]);
  shows = await showsIn(host.origin, 2);
  expect(shows.length).toBeGreaterThanOrEqual(4);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

async function newPage(options: { phone?: boolean } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await context(browser, problems, options);
  contexts.push(ctx);
  return { ctx, page: await ctx.newPage() };
}

/** Picks two neighbouring seats with the keyboard: focus one, Enter, ArrowRight, Space. */
/**
 * Types the code into the door scanner and verifies it. The Verify button is enabled only once the
 * page's state holds the code: typed before the scanner had hydrated, the input shows it but the
 * state does not, so the code is typed again until the button takes it.
 */
async function scan(page: Page, code: string): Promise<void> {
  const input = page.getByLabel('Ticket code (scan the QR or type it)');
  const verify = page.getByRole('button', { name: 'Verify' });
  await expect
    .poll(
      async () => {
        await input.fill(code);
        return verify.isEnabled();
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await verify.click();
}

async function chooseTwoByKeyboard(page: Page): Promise<string[]> {
  const free = await seatsIn(page, 'available');
  const first = free[Math.floor(free.length / 2)]!;
  await page.focus(`[data-seat="${first}"]`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  const chosen = await seatsIn(page, 'selected');
  expect(chosen).toHaveLength(2);
  expect(chosen).toContain(first);
  return chosen;
}

describe('the web client', () => {
  it('books two seats chosen with the keyboard, pays, and shows the tickets while another viewer sees the seats go in real time', async () => {
    const show = shows[0]!;
    const viewer = await newPage({ phone: true });
    await openSeatMap(viewer.page, host.origin, show.id);
    await viewer.page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const { ctx, page } = await newPage();
    await page.goto(`${host.origin}/`);
    await page.locator('.movie-card').first().waitFor();
    await shot(page, 'home');
    await signIn(page, host.origin, 'Asha Rao', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const seats = await chooseTwoByKeyboard(page);
    await shot(page, 'seat-picker');
    await shot(viewer.page, 'seat-picker-phone');

    await bookTwo(page);
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/₹/);
    await shot(page, 'checkout', true);

    // The other viewer's map changes without a reload.
    for (const s of seats)
      await viewer.page.locator(`[data-seat="${s}"][data-state="taken"]`).waitFor({ timeout: 10_000 });
    expect(await viewer.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await viewer.page
      .locator(`[data-seat="${seats[0]}"]`)
      .evaluate((e) => e.scrollIntoView({ block: 'center', inline: 'center' }));
    await shot(viewer.page, 'seat-picker-phone-live');

    await payInPopup(ctx, page, 'pay');
    await page.getByRole('heading', { name: "You're going!" }).waitFor({ timeout: 20_000 });
    const tickets = page.locator('.ticket');
    await expect.poll(() => tickets.count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('.ticket svg.qr path').count()).toBe(2);
    const ticketSeats = await tickets.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.seat));
    expect(ticketSeats.sort()).toEqual([...seats].sort());
    await shot(page, 'tickets', true);

    // The door: an operator admits the first ticket once; a second scan is refused.
    const code = (await page.getByTestId('ticket-code').first().textContent())!.trim();
    expect(code).toMatch(/^MQT1\./);
    const op = await newPage();
    await signIn(op.page, host.origin, 'Priya (operator)', `/ops?showId=${show.id}`);
    await scan(op.page, code);
    await expect
      .poll(() => op.page.getByTestId('scan-result').textContent(), { timeout: 30_000 })
      .toMatch(/Admit: seat/);
    await shot(op.page, 'operator-scanner', true);
    await scan(op.page, code);
    await expect
      .poll(() => op.page.getByTestId('scan-result').textContent(), { timeout: 30_000 })
      .toMatch(/Already used/);

    // History lists it as upcoming and confirmed.
    await page.getByRole('link', { name: 'My bookings', exact: true }).click();
    await page.locator('.history-item[data-status="confirmed"]').first().waitFor();
    expect(problems).toEqual([]);
  }, 120_000);

  it('lets an abandoned checkout expire and gives the seats back to everyone', async () => {
    const show = shows[1]!;
    const viewer = await newPage();
    await openSeatMap(viewer.page, host.origin, show.id);

    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Vikram Shah', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const seats = await chooseTwoByKeyboard(page);
    await bookTwo(page);
    for (const s of seats)
      await viewer.page.locator(`[data-seat="${s}"][data-state="taken"]`).waitFor({ timeout: 10_000 });

    await payInPopup(ctx, page, 'abandon');
    await expect.poll(() => page.locator('.status-line').textContent()).toMatch(/Payment not completed/);
    await page.getByRole('heading', { name: 'Your hold expired' }).waitFor({ timeout: (HOLD_SECONDS + 20) * 1000 });
    await shot(page, 'expired');
    for (const s of seats)
      await viewer.page.locator(`[data-seat="${s}"][data-state="available"]`).waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows the refund quote before cancelling a seat, then the refund', async () => {
    const show = shows[2]!;
    const { ctx, page } = await newPage();
    await signIn(page, host.origin, 'Lena Fischer', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const seats = await chooseTwoByKeyboard(page);
    await bookTwo(page);
    await payInPopup(ctx, page, 'pay');
    await page.getByRole('heading', { name: "You're going!" }).waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Cancel tickets…' }).click();
    const keep = seats.sort()[1]!;
    await page.getByRole('checkbox', { name: keep }).uncheck();
    await page.getByRole('button', { name: 'See refund' }).click();
    const quoted = (await page.getByTestId('refund-amount').textContent())!;
    expect(quoted).toMatch(/₹\s?\d/);
    await expect.poll(() => page.getByTestId('refund-quote').textContent()).toContain(`You keep ${keep}`);
    await shot(page, 'refund-quote', true);

    await page.getByRole('button', { name: 'Confirm cancellation' }).click();
    const done = page.locator('[data-cancellation="completed"], [data-cancellation="refunded"]');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain(quoted);
    await page.getByRole('heading', { name: "You're going!" }).waitFor();
    await expect.poll(() => page.locator('.ticket').count()).toBe(1);
    await shot(page, 'refunded', true);
    expect(problems).toEqual([]);
  }, 120_000);

  it('browses a city by date, title and genre, and finds the best seats in a stadium stand', async () => {
    const { page } = await newPage();
    await page.goto(`${host.origin}/`);
    await page.getByLabel('City').selectOption('mum');
    await page.getByRole('heading', { name: "What's on in Mumbai" }).waitFor();
    await page.getByRole('button', { name: /^Tmrw/ }).click();
    await page.locator('.movie-card').first().waitFor();
    expect(new URL(page.url()).searchParams.get('date')).toBe(dateIn('Asia/Kolkata', 1));
    const first = (await page.locator('.movie-card .movie-title').first().textContent())!;
    await page.getByLabel('Search titles').fill(first.slice(0, 6));
    await expect
      .poll(async () =>
        (await page.locator('.movie-card .movie-title').allTextContents()).every((t) =>
          t.toLowerCase().includes(first.slice(0, 6).toLowerCase()),
        ),
      )
      .toBe(true);
    await page.getByLabel('Search titles').fill('');
    const genre = page.getByRole('group', { name: 'Genre' }).getByRole('button').first();
    await genre.click();
    await expect.poll(() => genre.getAttribute('aria-pressed')).toBe('true');

    // The movie page groups the day's shows by venue with price ranges and fullness.
    // The listing's card (the date chosen above), not a recommendation rail's card: a rail links to
    // its movie's next show's day, which need not be the day this test browses.
    await page.locator('.movie-card .movie-link').first().click();
    await page.waitForURL(/\/movies\//);
    await page
      .locator('.venue .showtime')
      .first()
      .waitFor({ timeout: 45_000 })
      .catch(async (err: Error) => {
        // Say what the page showed instead (an error box, "no shows", still loading).
        const shown = await page
          .locator('main')
          .innerText()
          .catch(() => '(no main)');
        throw new Error(`${err.message}\nat ${page.url()}:\n${shown.slice(0, 800)}\nproblems: ${problems.join('\n')}`);
      });
    await expect.poll(() => page.locator('.fill-text').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(page, 'movie');

    const res = await fetch(
      `${host.origin}/api/shows?city=mum&date=${dateIn('Asia/Kolkata', 2)}&venueId=ven-mum-arena`,
    );
    const stadium = ((await res.json()) as { items: ShowRef[] }).items[0]!;
    await page.goto(`${host.origin}/shows/${stadium.id}`);
    await page.getByRole('heading', { name: 'Choose a stand' }).waitFor();
    await page.getByLabel('Number of seats').selectOption('4');
    await page.getByRole('button', { name: 'Find seats' }).click();
    await expect.poll(() => page.locator('.messages').textContent()).toMatch(/We picked .*side by side/);
    expect(await seatsIn(page, 'selected')).toHaveLength(4);
    expect(await page.locator('.stand-shape[aria-pressed="true"]').count()).toBe(1);
    await shot(page, 'stadium');
    expect(problems).toEqual([]);
  }, 120_000);

  it('tells a customer when a seat they chose is taken by someone else meanwhile', async () => {
    const show = shows[3]!;
    const { page } = await newPage();
    await signIn(page, host.origin, 'Asha Rao', `/shows/${show.id}`);
    await openSeatMap(page, host.origin, show.id);
    const chosen = await chooseTwoByKeyboard(page);

    // Someone else holds one of them through the API.
    const other = await tokenFor(host.origin, { sub: 'user-rival', name: 'Rival' });
    const res = await fetch(`${host.origin}/api/bookings`, {
      method: 'POST',
      headers: { ...bearer(other), 'content-type': 'application/json', 'idempotency-key': `rival-${Date.now()}` },
      body: JSON.stringify({ showId: show.id, seatIds: [chosen[0]] }),
    });
    expect(res.status).toBe(201);

    const alert = page.locator('.messages [role="alert"]');
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`${chosen[0]} was just taken by someone else`));
    expect(await seatsIn(page, 'selected')).toEqual([chosen[1]]);
    expect(await page.locator(`[data-seat="${chosen[0]}"]`).getAttribute('data-state')).toBe('taken');
    await shot(page, 'seat-taken-meanwhile');
    expect(problems).toEqual([]);
  }, 120_000);
});
