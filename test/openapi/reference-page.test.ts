// The API reference page (/api/docs) in a real browser (Debian chromium + playwright-core, as the web
// tests): Swagger UI from the installed package renders the document the host serves, under the
// page's own Content-Security-Policy (no inline script, nothing from another origin). Screenshot:
// test-results/screenshots/api-docs.png.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHost, type TestHost } from '../support/local-host.js';
import { context, launch, shot } from '../web/browser.js';

let host: TestHost;
let browser: Browser;

beforeAll(async () => {
  [host, browser] = await Promise.all([startHost(), launch()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

it('renders every operation of the document, from this origin only, with no CSP violation', async () => {
  const problems: string[] = [];
  const ctx = await context(browser, problems);
  const page = await ctx.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });

  const res = await page.goto(host.url('/api/docs'));
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page
    .locator('.opblock')
    .first()
    .waitFor({ state: 'attached', timeout: 60_000 })
    .catch(async (err: Error) => {
      await shot(page, 'api-docs-failed', true);
      throw new Error(`${err.message}\npage problems: ${problems.join('\n')}\nrequests: ${requests.join('\n')}`);
    });

  const document = (await (await fetch(host.url('/api/openapi.json'))).json()) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
  await expect.poll(() => page.locator('.opblock').count(), { timeout: 30_000 }).toBe(operations.length);
  expect(await page.locator('.info .title').first().textContent()).toContain('Marquee API');
  expect(await page.locator('.opblock-summary-path', { hasText: '/shows/{showId}/seats' }).count()).toBe(1);

  // Opening an operation shows its parameters and its problem answers.
  await page.locator('#operations-Bookings-bookings-create .opblock-summary').click();
  const create = page.locator('#operations-Bookings-bookings-create');
  await create.locator('.responses-table').first().waitFor({ timeout: 30_000 });
  expect(await create.locator('.parameters-container').textContent()).toContain('Idempotency-Key');
  expect(await create.locator('.responses-wrapper').textContent()).toContain('SEATS_UNAVAILABLE');
  await shot(page, 'api-docs', true);

  expect(requests.filter((u) => new URL(u).origin !== host.origin && !u.startsWith('data:'))).toEqual([]);
  expect(problems).toEqual([]);
  await ctx.close();
}, 180_000);
