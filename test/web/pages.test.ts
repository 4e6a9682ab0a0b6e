// Every page of the web client, on a phone (390 × 844) and on a desktop, in Chromium against the
// local host with the demo catalog: axe-core finds no violation of any impact, and on the phone no
// page scrolls sideways and the header is one row. The pages with a booking in them (checkout,
// tickets) are checked where one is made (test/web/search-ops.test.ts), the stadium's stands in
// test/web/stadium.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { axeViolations, context, dateIn, launch, overflow, signIn } from './browser.js';

let host: TestHost;
let browser: Browser;
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startHost({ env: { DEMO_DATA: 'true' }, timeoutMs: 90_000 }), launch()]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

/** What is wrong with the page once its late content has settled ([] = nothing). */
async function judge(page: Page, phone: boolean): Promise<string[]> {
  const wide = phone ? await overflow(page) : 0;
  // One row of header on the phone: brand, links and account side by side (three rows took 150 px).
  const header = phone
    ? await page.evaluate(() => document.querySelector('header.top')!.getBoundingClientRect().height)
    : 0;
  return [
    ...(wide > 0 ? [`${wide}px sideways overflow`] : []),
    ...(header > 64 ? [`header ${header}px tall`] : []),
    ...(await axeViolations(page)),
  ];
}

async function sweep(phone: boolean): Promise<Record<string, string[]>> {
  const date = dateIn('Asia/Kolkata', 2);
  const res = await fetch(`${host.origin}/api/shows?city=blr&date=${date}&limit=5`);
  const show = ((await res.json()) as { items: { id: string; movieId: string }[] }).items[0]!;
  const ctx = await context(browser, problems, { phone });
  contexts.push(ctx);
  const page = await ctx.newPage();
  const found: Record<string, string[]> = {};
  const check = async (name: string, wait: () => Promise<unknown>) => {
    await wait();
    // Content that arrives late (rails, fill meters, the live status) settles first: a page is
    // judged clean once it is, and only what stays wrong for five tries is reported.
    let bad: string[] = [];
    for (let i = 0; i < 5; i++) {
      bad = await judge(page, phone);
      if (!bad.length) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    found[name] = bad;
  };
  await page.goto(`${host.origin}/`);
  await check('home', () => page.locator('.movie-card').first().waitFor());
  await page.goto(`${host.origin}/movies/${show.movieId}?date=${date}`);
  await check('movie', () => page.locator('.venue .showtime').first().waitFor());
  await page.goto(`${host.origin}/shows/${show.id}`);
  await check('seats', () => page.locator('.seat').first().waitFor());
  await page.goto(`${host.origin}/signin`);
  await check('signin', () => page.getByRole('button', { name: 'Sign in as Asha Rao' }).waitFor());
  await page.goto(`${host.origin}/nowhere`);
  await check('not found', () => page.getByRole('heading', { name: 'Page not found' }).waitFor());
  await signIn(page, host.origin, 'Asha Rao', '/me/bookings');
  await check('history', () => page.locator('main h1').waitFor());
  await page.goto(`${host.origin}/me`);
  await check('profile', () => page.locator('main h1').waitFor());
  await signIn(page, host.origin, 'Priya (operator)', '/ops');
  await check('ops', () => page.getByRole('heading', { name: 'Door scanner' }).waitFor());
  await page.goto(`${host.origin}/ops/catalog`);
  await check('ops catalog', () => page.locator('tr[data-show], .ops-catalog p').first().waitFor());
  // The venue form with a screen drafted, as an operator sees it when adding one.
  await page.getByRole('button', { name: 'Edit venue…' }).click();
  await page.getByRole('button', { name: 'Add a screen' }).click();
  await check('ops venue form', () => page.getByLabel('Screen name').waitFor());
  await page.goto(`${host.origin}/ops/partners`);
  await check('ops partners', () => page.locator('main h1').waitFor());
  return found;
}

describe('every page', () => {
  it('on a phone: no axe-core violation, no sideways overflow at 390 px, a one-row header', async () => {
    expect(await sweep(true)).toEqual({});
    expect(problems).toEqual([]);
  }, 90_000);

  it('on a desktop: no axe-core violation', async () => {
    expect(await sweep(false)).toEqual({});
    expect(problems).toEqual([]);
  }, 90_000);
});
