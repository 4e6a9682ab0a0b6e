// Browser helpers for the web client's end-to-end tests: Debian's Chromium driven by
// playwright-core (scripts/ensure-chromium.sh installs it), sign-in through the app's own page,
// screenshots into test-results/screenshots/, and picking demo shows through the public API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../support/local-host.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = join(repoRoot, 'test-results', 'screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A context whose pages report script errors and failed API calls to `problems`. */
export async function context(
  browser: Browser,
  problems: string[],
  options: { phone?: boolean } = {},
): Promise<BrowserContext> {
  const ctx = await browser.newContext(
    options.phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: { width: 1280, height: 900 } },
  );
  ctx.on('page', (page) => watch(page, problems));
  return ctx;
}

function watch(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`pageerror ${page.url()}: ${e.message}`));
  // The site's Content-Security-Policy (web/public/staticwebapp.config.json) must not block anything the client does.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(`CSP ${page.url()}: ${m.text()}`);
  });
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Signs in through /signin as one of the demo users, landing on `next`. */
export async function signIn(page: Page, origin: string, who: string, next: string): Promise<void> {
  await page.goto(`${origin}/signin?next=${encodeURIComponent(next)}`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.waitForURL((u) => u.pathname === next.split('?')[0]);
}

export interface ShowRef {
  id: string;
  startsAt: string;
  title: string;
}

/** YYYY-MM-DD `days` after today in a time zone. */
export function dateIn(timeZone: string, days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Multiplex shows in Bengaluru `days` from today (never one that has started). */
export async function showsIn(origin: string, days: number): Promise<ShowRef[]> {
  const res = await fetch(`${origin}/api/shows?city=blr&date=${dateIn('Asia/Kolkata', days)}&limit=100`);
  if (!res.ok) throw new Error(`shows search answered ${res.status}`);
  const body = (await res.json()) as { items: ShowRef[] };
  return body.items.filter((s) => Date.parse(s.startsAt) > Date.now() + 3600_000);
}

/** Seat ids the page shows in a state ('available', 'taken', 'selected'). */
export function seatsIn(page: Page, state: string): Promise<string[]> {
  return page.$$eval(`.seat[data-state="${state}"]`, (els) => els.map((e) => (e as HTMLElement).dataset.seat!));
}

/**
 * axe-core's violations of any impact on the page as it is now ("rule (impact): target, …"); the
 * browser tests hold every page to none. The engine is evaluated through the DevTools protocol,
 * which the site's Content-Security-Policy does not apply to (an injected <script> would be refused).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const { source } = (await import('axe-core')).default as unknown as { source: string };
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.targets.slice(0, 5).join(', ')}`);
}

interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
}

/** Pixels the page is wider than the window (0 = no sideways scrolling). */
export function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
