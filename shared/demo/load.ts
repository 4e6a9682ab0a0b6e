// Loads the demo catalog at app start (DEMO_DATA=true). Every document has a deterministic id and is
// upserted, so a second start (or two instances starting at once) writes the same documents again;
// a marker document per (seed, first date) lets a restart on the same day skip the work entirely.
// Inventory sections are not written here: they are created from the layout on first use.
import type { CatalogStore } from '../catalog/ports.js';
import { addDays, localDate } from '../domain/zoned-time.js';
import { generateDemoCatalog } from './generate.js';

export const DEMO_SEED = 'marquee-demo-v1';
/** Bumped when the generated documents change for the same seed, so a kept database loads them again. */
const DEMO_REVISION = 2; // 2: sports fixtures are non-refundable

export interface DemoLoadResult {
  skipped: boolean;
  documents: number;
  shows: number;
  ms: number;
}

export async function loadDemoData(store: CatalogStore, now: number, concurrency = 24): Promise<DemoLoadResult> {
  const started = Date.now();
  // Start a day before today in UTC so every city (UTC+4 to UTC+8 here) has today and 7 more days.
  const firstDate = addDays(localDate(now, 'UTC'), -1);
  const markerId = `demo-${DEMO_SEED}-r${DEMO_REVISION}-${firstDate}`;
  if (await store.marker(markerId)) return { skipped: true, documents: 0, shows: 0, ms: Date.now() - started };
  const catalog = generateDemoCatalog({ seed: DEMO_SEED, firstDate, days: 9 });
  const jobs: (() => Promise<void>)[] = [
    ...catalog.cities.map((c) => () => store.putCity(c)),
    ...catalog.layouts.map((l) => () => store.putLayout(l)),
    ...catalog.movies.map((m) => () => store.putMovie(m)),
    ...catalog.venues.map((v) => () => store.putVenue(v)),
    ...catalog.shows.map((s) => () => store.putShow(s)),
  ];
  await runBounded(jobs, concurrency);
  await store.putMarker(markerId, {
    seed: DEMO_SEED,
    firstDate,
    documents: jobs.length,
    loadedAt: new Date(now).toISOString(),
  });
  return { skipped: false, documents: jobs.length, shows: catalog.shows.length, ms: Date.now() - started };
}

async function runBounded(jobs: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
}
