// The profile screen and the bell, in Chromium against the local host: save contact details, the
// notification language and channels (a bad phone is named next to its field); a booking paid
// through the API shows up under the bell, opening it marks it read; and the confirmation email
// renders from the outbox (screenshot).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, createShow, signIn as apiSignIn, startBookingHost } from '../booking/helpers.js';
import { masterKey, waitForOutbox } from '../notifications/helpers.js';
import { context, launch, shot, signIn } from './browser.js';

let host: TestHost;
let browser: Browser;
let ctx: BrowserContext;
const problems: string[] = [];

beforeAll(async () => {
  [host, browser] = await Promise.all([startBookingHost({ DEMO_DATA: 'true' }), launch()]);
  ctx = await context(browser, problems);
}, 120_000);

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await browser?.close();
  await host?.stop();
});

describe('profile and notifications in the browser', () => {
  it('saves the profile, shows a new notification under the bell, and renders the email', async () => {
    const page = await ctx.newPage();
    await signIn(page, host.origin, 'Asha Rao', '/me');
    await page.getByRole('heading', { name: 'My profile' }).waitFor();

    // A phone without its country code is refused, and the field says why.
    await page.fill('#phone', '98123');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-field="phone"] .field-error').waitFor();

    await page.fill('#phone', '+919812345678');
    await page.fill('#email', 'asha.rao@example.com');
    await page.selectOption('select[name="locale"]', 'hi');
    await page.check('input[name="notify-sms"]');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await shot(page, 'profile');

    const me = await apiSignIn(host, 'user-asha');
    const saved = await api(host, me, 'GET', '/api/me/profile');
    expect(saved.body).toMatchObject({
      email: 'asha.rao@example.com',
      phone: '+919812345678',
      locale: 'hi',
      notifications: { sms: true },
    });

    const operator = await apiSignIn(host, 'op-profile', ['operator']);
    const show = await createShow(host, operator, 48);
    const booking = await bookAndPay(host, me, show.showId, show.seats.slice(0, 2));
    const [mail] = await waitForOutbox(host, 'asha.rao@example.com', (items) => items.length >= 1);

    await page.reload();
    const bell = page.getByRole('button', { name: /Notifications, 1 unread/ });
    await bell.waitFor({ timeout: 15_000 });
    await bell.click();
    const item = page.locator('.bell-list a').first();
    await expect.poll(() => item.innerText()).toContain('बुकिंग पक्की');
    await item.click();
    await page.waitForURL(`**/bookings/${booking.bookingId}`);
    await page.getByRole('button', { name: /Notifications, 0 unread/ }).waitFor({ timeout: 15_000 });

    // The email as its recipient sees it, QR codes and all.
    const mailPage = await ctx.newPage();
    await mailPage.setExtraHTTPHeaders(masterKey(host));
    await mailPage.goto(host.url(`/.local/outbox/messages/${mail!.id}`));
    const images = mailPage.locator('img[alt^="QR"]');
    expect(await images.count()).toBe(2);
    expect(await images.first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await shot(mailPage, 'confirmation-email', true);
    expect(problems).toEqual([]);
  });
});
