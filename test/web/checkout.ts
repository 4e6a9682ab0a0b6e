// A customer's checkout steps shared by the browser tests (test/web/booking.test.ts,
// test/web/journey.test.ts, test/web/search-ops.test.ts): open a show's seat map once it is live,
// book the chosen seats, and answer the payment simulator's page in its popup.
import type { BrowserContext, Page } from 'playwright-core';

/** Opens /shows/{id} (unless it is open) and waits for its live updates to be connected. */
export async function openSeatMap(page: Page, origin: string, showId: string): Promise<void> {
  if (!page.url().endsWith(`/shows/${showId}`)) await page.goto(`${origin}/shows/${showId}`);
  await page.locator('.live-live').waitFor({ timeout: 15_000 });
}

/** Books the two chosen seats and waits for the checkout's countdown; answers the booking id. */
export async function bookTwo(page: Page): Promise<string> {
  await page.getByRole('button', { name: /^Book 2 seats$/ }).click();
  await page.waitForURL(/\/bookings\/bk_/);
  await page.getByTestId('countdown').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Opens the payment page from the checkout and pays, abandons or declines there. */
export async function payInPopup(
  ctx: BrowserContext,
  page: Page,
  action: 'pay' | 'abandon' | 'decline',
  onPopup?: (popup: Page) => Promise<void>,
): Promise<void> {
  const [popup] = await Promise.all([ctx.waitForEvent('page'), page.getByRole('link', { name: /^Pay / }).click()]);
  await popup.waitForLoadState();
  await onPopup?.(popup);
  // The booking page reads the return URL from the window and closes it, maybe before click() returns.
  const closed = popup.waitForEvent('close', { timeout: 10_000 });
  await popup.locator(`button[value=${action}]`).click({ noWaitAfter: true });
  await closed;
}
