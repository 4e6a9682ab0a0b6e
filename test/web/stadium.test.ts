// A stadium people can find their way in, in Chromium against the local host with the demo catalog:
// the overview drawing of the stands (from the section positions the availability summarises),
// a stand chosen on it opening its seats in view, best available for 2 Premium in an empty stadium
// landing in the front half of a central stand, a stand's free count following the live seat
// messages, and on a phone (390×844) the picked seats on screen without scrolling by hand, seat
// targets of at least 24 px, and no sideways page overflow. axe-core finds no serious or critical
// violation on the stadium page. Screenshots go to test-results/screenshots/ (copies in docs/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { axeViolations, context, dateIn, launch, overflow, seatsIn, shot } from './browser.js';

let host: TestHost;
let browser: Browser;
let stadiumShow: string;
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startHost({ env: { DEMO_DATA: 'true' }, timeoutMs: 90_000 }), launch()]);
  // Two days out: nobody has booked it, and it is not the waiting room's hot on-sale.
  const res = await fetch(`${host.origin}/api/shows?city=mum&date=${dateIn('Asia/Kolkata', 2)}&venueId=ven-mum-arena`);
  stadiumShow = ((await res.json()) as { items: { id: string }[] }).items[0]!.id;
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

async function newPage(options: { phone?: boolean } = {}): Promise<Page> {
  const ctx = await context(browser, problems, options);
  contexts.push(ctx);
  return ctx.newPage();
}

async function openStadium(page: Page): Promise<void> {
  await page.goto(`${host.origin}/shows/${stadiumShow}`);
  await page.getByRole('heading', { name: 'Choose a stand' }).waitFor({ timeout: 20_000 });
}

/** The layout's sections, as the API serves them. */
async function sections(): Promise<{ id: string; rank?: number; rows: unknown[]; position?: { angle: number } }[]> {
  const show = (await (await fetch(`${host.origin}/api/shows/${stadiumShow}`)).json()) as { layoutId: string };
  const layout = (await (await fetch(`${host.origin}/api/layouts/${show.layoutId}`)).json()) as {
    sections: { id: string; rank?: number; rows: unknown[]; position?: { angle: number } }[];
  };
  return layout.sections;
}

describe('the stadium', () => {
  it('draws the stands around the pitch, opens a clicked stand in view, and finds 2 Premium in the front half of a central stand', async () => {
    const page = await newPage();
    await openStadium(page);
    const stands = page.locator('svg.overview-map .stand-shape');
    await expect.poll(() => stands.count()).toBe(24);
    await shot(page, 'stadium-overview');

    // A click on a stand (far from the top of the page) shows its seats, scrolled into view.
    const c5 = page.getByRole('button', { name: /^Stand C5,/ });
    await c5.click();
    await expect.poll(() => c5.getAttribute('aria-pressed')).toBe('true');
    const firstSeat = page.locator('[data-seat^="C5-"]').first();
    await firstSeat.waitFor();
    await expect
      .poll(
        () =>
          firstSeat.evaluate(
            (e) => e.getBoundingClientRect().top < innerHeight && e.getBoundingClientRect().bottom > 0,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await shot(page, 'stadium-stand');

    await page.getByLabel('Number of seats').selectOption('2');
    await page.getByLabel('Category').selectOption('premium');
    await page.getByRole('button', { name: 'Find seats' }).click();
    await expect.poll(() => page.locator('.messages').textContent()).toMatch(/We picked .*side by side/);
    const picked = await seatsIn(page, 'selected');
    expect(picked).toHaveLength(2);
    const [standId, rowLabel] = picked[0]!.split('-') as [string, string];
    const layout = await sections();
    const stand = layout.find((s) => s.id === standId)!;
    expect(stand.rank).toBe(1);
    expect(Math.abs(stand.position!.angle - 180)).toBeLessThan(15); // the middle of a long side
    const rowIndex = (stand.rows as { label: string }[]).findIndex(
      (r) => rowLabel.startsWith(r.label) && /^\d+$/.test(rowLabel.slice(r.label.length)),
    );
    expect(rowIndex).toBeGreaterThanOrEqual(0);
    expect(rowIndex).toBeLessThan(stand.rows.length / 2);
    expect(await page.locator(`.stand-shape[data-stand="${standId}"]`).getAttribute('aria-pressed')).toBe('true');
    // The summary names them as the map does.
    expect(await page.getByLabel('Your selection').textContent()).toContain(`Stand ${standId} · ${rowLabel}`);
    await shot(page, 'stadium');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it("keeps a stand's free count live: seats an operator blocks leave it at once", async () => {
    const page = await newPage();
    await openStadium(page);
    const stand = (await sections())[0]!;
    const seatIds = (stand.rows as { cells: ({ id: string } | null)[] }[])[0]!.cells.flatMap((c) => (c ? [c.id] : []));
    const shape = page.locator(`.stand-shape[data-stand="${stand.id}"]`);
    const freeNow = async () => Number(/(\d+) free/.exec((await shape.getAttribute('aria-label')) ?? '')?.[1]);
    await page.getByText('Live: seats update as others book').waitFor({ timeout: 30_000 });
    const before = await freeNow();
    expect(before).toBeGreaterThan(2);
    const op = bearer(await tokenFor(host.origin, { sub: 'op-stadium', roles: ['operator'] }));
    const res = await fetch(`${host.origin}/api/shows/${stadiumShow}/seat-blocks`, {
      method: 'POST',
      headers: { ...op, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'block', seatIds: seatIds.slice(0, 2) }),
    });
    expect(res.status).toBe(200);
    await expect.poll(freeNow, { timeout: 30_000 }).toBe(before - 2);
    expect(problems).toEqual([]);
  }, 90_000);

  it('on a phone: picked seats in view, seat targets of at least 24 px, no sideways page overflow', async () => {
    const page = await newPage({ phone: true });
    await openStadium(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.getByLabel('Number of seats').selectOption('2');
    await page.getByRole('button', { name: 'Find seats' }).click();
    await expect.poll(() => page.locator('.messages').textContent()).toMatch(/We picked/);
    const picked = await seatsIn(page, 'selected');
    expect(picked).toHaveLength(2);
    const seat = page.locator(`[data-seat="${picked[0]}"]`);
    // Brought into view by the page itself (smooth scrolling may take a moment).
    await expect
      .poll(
        () =>
          seat.evaluate((e) => {
            const r = e.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
          }),
        { timeout: 10_000 },
      )
      .toBe(true);
    const box = (await seat.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(24);
    expect(box.height).toBeGreaterThanOrEqual(24);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'stadium-phone');
    expect(problems).toEqual([]);
  }, 90_000);
});
