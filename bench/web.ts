// The web client: bundle size, and the time from opening a show page to a rendered seat map,
// measured in Chromium (playwright-core, Debian's /usr/bin/chromium) against the local host with
// the demo catalog. The page marks `marquee:seatmap-rendered` on the first frame after the map
// mounts (web/src/pages/seats.tsx) — for the stadium, after its overview of the stands mounts: it is
// drawn from the availability's section summary, and the 20,400-seat layout loads after that frame.
//   cold: a fresh browser context (empty cache) loads /shows/{id}: HTML, JS, CSS, show, cities,
//         waiting room, availability (and a screen's layout); the figure is the mark's time since
//         navigation start.
//   spa:  from a movie page, a click on a showtime; the figure is click → mark.
// Shows: a ~300-seat multiplex screen, and the 20,400-seat stadium (which opens on its stands).
// Bars the client is held to (web/README.md, its speed table): the customer pages' first load (the entry chunk index.html
// names; the operator screens are lazy chunks) under 80 KB of gzipped JavaScript, and the stadium's
// overview drawn within 500 ms of a cold navigation (the median of stadiumColdLoad).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../test/support/spawn-host.js';
import { spawnDemoHost } from './support/standalone.js';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BundleSize {
  jsRawKB: number;
  jsGzipKB: number;
  jsBrotliKB: number;
  cssGzipKB: number;
  htmlGzipKB: number;
  /** The JavaScript index.html loads (gzip), without the lazily loaded operator chunks. */
  firstLoadJsGzipKB: number;
  under80KB: boolean;
}

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

/** Sizes of what index.html loads (the whole app is one entry chunk plus its CSS). */
export function bundleSize(dist = join(repoRoot, 'web', 'dist')): BundleSize {
  const assets = join(dist, 'assets');
  const files = readdirSync(assets);
  const size = (f: string) => statSync(join(assets, f)).size;
  const js = files.filter((f) => f.endsWith('.js'));
  const css = files.filter((f) => f.endsWith('.css'));
  const comp = (f: string, ext: string) =>
    files.includes(f + ext) ? size(f + ext) : gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const jsGzip = js.reduce((n, f) => n + comp(f, '.gz'), 0);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const firstLoad = js.filter((f) => html.includes(`/assets/${f}`)).reduce((n, f) => n + comp(f, '.gz'), 0);
  return {
    jsRawKB: kb(js.reduce((n, f) => n + size(f), 0)),
    jsGzipKB: kb(jsGzip),
    jsBrotliKB: kb(js.reduce((n, f) => n + comp(f, '.br'), 0)),
    cssGzipKB: kb(css.reduce((n, f) => n + comp(f, '.gz'), 0)),
    htmlGzipKB: kb(gzipSync(readFileSync(join(dist, 'index.html'))).length),
    firstLoadJsGzipKB: kb(firstLoad),
    under80KB: firstLoad < 80 * 1024,
  };
}

interface Timing {
  medianMs: number;
  p90Ms: number;
  minMs: number;
}

function stats(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { medianMs: Math.round(at(0.5)), p90Ms: Math.round(at(0.9)), minMs: Math.round(s[0]!) };
}

async function cold(browser: Browser, url: string): Promise<number> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('marquee:seatmap-rendered').length > 0, undefined, {
      timeout: 20_000,
    });
    return await page.evaluate(() => performance.getEntriesByName('marquee:seatmap-rendered')[0]!.startTime);
  } finally {
    await ctx.close();
  }
}

async function spa(browser: Browser, origin: string, movieId: string, date: string, showId: string): Promise<number> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await ctx.addInitScript(() => localStorage.setItem('marquee.city', 'mum'));
    const page = await ctx.newPage();
    await page.goto(`${origin}/movies/${movieId}?date=${date}`);
    const link = page.locator(`a.showtime[href="/shows/${showId}"]`);
    await link.waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => performance.clearMarks());
    const t0 = await page.evaluate(() => performance.now());
    await link.click();
    await page.waitForFunction(() => performance.getEntriesByName('marquee:seatmap-rendered').length > 0, undefined, {
      timeout: 20_000,
    });
    const mark = await page.evaluate(() => performance.getEntriesByName('marquee:seatmap-rendered')[0]!.startTime);
    return mark - t0;
  } finally {
    await ctx.close();
  }
}

export async function run() {
  const bundle = bundleSize();
  const { host } = await spawnDemoHost({}, 90_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    // Two days out: tomorrow's stadium show is the waiting room's hot on-sale (a queue page, no map).
    const date = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);
    const page = (await (await fetch(`${host.origin}/api/shows?city=mum&date=${date}&limit=100`)).json()) as {
      items: { id: string; movieId: string; venueId: string }[];
    };
    const screen = page.items.find((s) => s.venueId !== 'ven-mum-arena')!;
    const stadium = page.items.find((s) => s.venueId === 'ven-mum-arena')!;
    const measure = async (f: () => Promise<number>) => {
      await f(); // warm the server's caches once; the browser side stays cold per run
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) xs.push(await f());
      return stats(xs);
    };
    return {
      bundle,
      screenColdLoad: await measure(() => cold(browser, `${host.origin}/shows/${screen.id}`)),
      screenSpaNavigation: await measure(() => spa(browser, host.origin, screen.movieId, date, screen.id)),
      stadiumColdLoad: await measure(() => cold(browser, `${host.origin}/shows/${stadium.id}`)),
      runs: RUNS,
    };
  } finally {
    await browser.close();
    await host.stop();
  }
}
