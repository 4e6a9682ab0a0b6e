// The operator's partner webhooks screen in a real browser: registering an endpoint shows its
// signing secret once (and never after), and the delivery log lists the attempt a confirmed booking
// made to the partner's receiver (a real HTTP server on 127.0.0.1), which verifies with that secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import type { TestHost } from '../support/local-host.js';
import { bookAndPay, createShow, signIn as apiSignIn, startBookingHost } from '../booking/helpers.js';
import { startReceiver, until, type Receiver } from '../partners/receiver.js';
import { context, launch, shot, signIn } from './browser.js';

describe('operator screen for partner webhooks', () => {
  let host: TestHost;
  let browser: Browser;
  let receiver: Receiver;
  const problems: string[] = [];

  beforeAll(async () => {
    [host, browser, receiver] = await Promise.all([
      startBookingHost({ PARTNER_WEBHOOK_ALLOW_LOOPBACK: 'true', DEMO_DATA: 'true' }),
      launch(),
      startReceiver([204]),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await host?.stop();
  });

  it('shows the secret once on creation and lists the delivery attempt', async () => {
    const ctx = await context(browser, problems);
    const page = await ctx.newPage();
    await signIn(page, host.origin, 'Priya (operator)', '/ops/partners');
    await page.getByLabel('Name').fill('Acme Tickets');
    await page.getByLabel('URL (https)').fill(receiver.url);
    await page.getByLabel(/^Partner/).fill('partner-acme');
    await page.getByRole('button', { name: 'Register' }).click();
    const secret = (await page.getByTestId('secret-value').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await shot(page, 'partner-secret-once');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.reload();
    await page.getByTestId('endpoints').getByText('Acme Tickets').waitFor();
    expect(await page.content()).not.toContain(secret);

    const operator = await apiSignIn(host, 'op-partner-screen', ['operator']);
    const customer = await apiSignIn(host, 'partner-screen-customer');
    const show = await createShow(host, operator, 48);
    await bookAndPay(host, customer, show.showId, ['C1']);
    await until('the delivery', () => receiver.received.length === 1);
    new Webhook(secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers);

    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByTestId('deliveries');
    await log.waitFor();
    const row = log.locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('booking.confirmed');
    expect(await row.textContent()).toContain('delivered');
    expect(await row.textContent()).toContain('204');
    await shot(page, 'partner-delivery-log', true);
    expect(problems).toEqual([]);
    await ctx.close();
  });
});
