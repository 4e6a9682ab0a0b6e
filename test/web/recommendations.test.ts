// The home page's recommendation rails in Chromium against the local host with the demo catalog:
// a signed-in customer whose profile says Mumbai and Horror lands on Mumbai with "Recommended for
// you" and "Trending in Mumbai", every card with its reason; a visitor gets the trending rail only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { context, launch, shot, signIn } from './browser.js';

let host: TestHost;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startHost({ env: { DEMO_DATA: 'true' }, timeoutMs: 90_000 }), launch()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const railNamed = (page: Page, heading: string) =>
  page.locator('section.rail', { has: page.getByRole('heading', { level: 2, name: heading, exact: true }) });

async function railReasons(page: Page, heading: string): Promise<string[]> {
  const rail = railNamed(page, heading);
  await rail.waitFor({ timeout: 30_000 });
  await rail.locator('.rail-card').first().waitFor();
  return rail.locator('.rail-reason').allTextContents();
}

describe('home page rails', () => {
  it('opens a signed-in customer on their profile city with both rails, each card with its reason', async () => {
    const token = await tokenFor(host.origin, { sub: 'user-asha', name: 'Asha Rao', roles: ['customer'] });
    const put = await fetch(host.url('/api/me/profile'), {
      method: 'PUT',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Asha Rao', city: 'mum', genres: ['Horror'], languages: ['Hindi'] }),
    });
    expect(put.status).toBe(200);

    const ctx = await context(browser, problems);
    try {
      const page = await ctx.newPage();
      await signIn(page, host.origin, 'Asha Rao', '/');
      await page.getByRole('heading', { name: "What's on in Mumbai" }).waitFor({ timeout: 30_000 });
      const mine = await railReasons(page, 'Recommended for you');
      expect(mine.length).toBeGreaterThan(0);
      for (const reason of mine) expect(reason.trim()).not.toBe('');
      // Stated preferences carry a brand-new customer's rail, and it says so.
      expect(mine.some((r) => /as in your profile/.test(r))).toBe(true);
      const trending = await railReasons(page, 'Trending in Mumbai');
      expect(trending.length).toBeGreaterThan(0);
      for (const reason of trending) expect(reason).toMatch(/^(Trending in Mumbai|New this week|Now showing)$/);
      await shot(page, 'home-rails');
    } finally {
      await ctx.close();
    }
    expect(problems).toEqual([]);
  });

  it('shows a visitor the trending rail only', async () => {
    const ctx = await context(browser, problems);
    try {
      const page = await ctx.newPage();
      await page.goto(`${host.origin}/`);
      const heading = await page.getByRole('heading', { level: 1 }).textContent({ timeout: 15_000 });
      const cityName = heading!.replace("What's on in ", '');
      const trending = await railReasons(page, `Trending in ${cityName}`);
      expect(trending.length).toBeGreaterThan(0);
      expect(await railNamed(page, 'Recommended for you').count()).toBe(0);
    } finally {
      await ctx.close();
    }
    expect(problems).toEqual([]);
  });
});
