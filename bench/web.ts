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
// BENCH_WEB_BASE=<another checkout, built> (e.g. main's) measures the stadium's cold load side by
// side: a second host from that checkout (its server and its web/dist), the runs alternating
// between the two, so both figures come from the same minutes of a shared machine. Each run also
// records when the page's last API answer arrived (dataMs), to tell the server's part from the
// client's. BENCH_WEB_BASE_DIST=<a built web/dist> instead compares two client builds on this
// checkout's server (the base host serves that folder: MARQUEE_WEB_DIST).
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

interface ColdRun {
  /** The page's own mark (marquee:seatmap-rendered). */
  mark: number;
  /** The last API answer before the mark. */
  data: number;
  /** The frame that first paints the overview or seat map, seen from outside the app (both builds alike). */
  drawn: number;
}

async function coldRun(browser: Browser, url: string): Promise<ColdRun> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    // A build's own mark may sit a frame earlier or later than another's: this one does not depend
    // on the app. The first animation frame after the drawing enters the DOM is the one painting it.
    await ctx.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('.overview-map, .seat-map')) return;
        observer.disconnect();
        requestAnimationFrame(() => performance.mark('bench:drawn'));
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await ctx.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('marquee:seatmap-rendered').length > 0, undefined, {
      timeout: 20_000,
    });
    return await page.evaluate(() => {
      const mark = performance.getEntriesByName('marquee:seatmap-rendered')[0]!.startTime;
      // The API answers the first frame waited for (those that ended before it).
      const api = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/') && (e as PerformanceResourceTiming).responseEnd <= mark)
        .map((e) => (e as PerformanceResourceTiming).responseEnd);
      const drawn = performance.getEntriesByName('bench:drawn')[0]?.startTime ?? NaN;
      return { mark, data: Math.max(0, ...api), drawn };
    });
  } finally {
    await ctx.close();
  }
}

const cold = async (browser: Browser, url: string) => (await coldRun(browser, url)).mark;

/** The stadium's cold load on two hosts, runs alternating (which goes first alternates too). */
async function sideBySide(browser: Browser, urls: { base: string; head: string }) {
  const runs = { base: [] as ColdRun[], head: [] as ColdRun[] };
  await coldRun(browser, urls.base); // warm each server once
  await coldRun(browser, urls.head);
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? (['head', 'base'] as const) : (['base', 'head'] as const);
    for (const side of order) runs[side].push(await coldRun(browser, urls[side]));
  }
  const figures = (xs: ColdRun[]) => ({
    ...stats(xs.map((x) => x.mark)),
    drawnMedianMs: stats(xs.map((x) => x.drawn)).medianMs,
    dataMedianMs: stats(xs.map((x) => x.data)).medianMs,
    afterDataMedianMs: stats(xs.map((x) => x.mark - x.data)).medianMs,
  });
  return { base: figures(runs.base), head: figures(runs.head) };
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
  const baseRoot = process.env.BENCH_WEB_BASE;
  const baseDist = process.env.BENCH_WEB_BASE_DIST;
  // Two hosts starting on a busy machine take longer than one.
  const { host } = await spawnDemoHost({}, baseRoot || baseDist ? 240_000 : 90_000);
  const base =
    baseRoot || baseDist
      ? (await spawnDemoHost(baseDist ? { MARQUEE_WEB_DIST: baseDist } : {}, 240_000, baseRoot)).host
      : undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    // Two days out: tomorrow's stadium show is the waiting room's hot on-sale (a queue page, no map).
    const date = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);
    const page = (await (await fetch(`${host.origin}/api/shows?city=mum&date=${date}&limit=100`)).json()) as {
      items: { id: string; movieId: string; venueId: string }[];
    };
    const screen = page.items.find((s) => s.venueId !== 'ven-mum-arena')!;
    const stadium = page.items.find((s) => s.venueId === 'ven-mum-arena')!;
    if (base)
      return {
        bundle,
        baseBundle: bundleSize(baseDist ?? join(baseRoot!, 'web', 'dist')),
        stadiumColdLoad: await sideBySide(browser, {
          base: `${base.origin}/shows/${stadium.id}`,
          head: `${host.origin}/shows/${stadium.id}`,
        }),
        runs: RUNS,
      };
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
    await base?.stop();
  }
}
