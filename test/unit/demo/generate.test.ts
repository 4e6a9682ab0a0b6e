import { describe, expect, it } from 'vitest';
import { generateDemoCatalog } from '../../../shared/demo/generate.js';
import { layoutProblems, MAX_SECTION_SEATS } from '../../../shared/domain/layout.js';
import { findOverlap } from '../../../shared/domain/catalog.js';

describe('demo catalog', () => {
  const catalog = generateDemoCatalog({ seed: 'test-seed', firstDate: '2026-11-24' });

  it('is a pure function of the seed', () => {
    expect(JSON.stringify(generateDemoCatalog({ seed: 'test-seed', firstDate: '2026-11-24' }))).toBe(
      JSON.stringify(catalog),
    );
    expect(JSON.stringify(generateDemoCatalog({ seed: 'other', firstDate: '2026-11-24' }))).not.toBe(
      JSON.stringify(catalog),
    );
  });

  it('gives each event its own genre and bill: a fixture is sport with its two sides, never a comedy with actors', () => {
    const events = catalog.movies.filter((m) => m.kind === 'event');
    const actors = new Set(catalog.movies.filter((m) => m.kind === 'movie').flatMap((m) => m.cast));
    const byTitle = (t: string) => events.find((e) => e.title.startsWith(t))!;
    expect(byTitle('T20 Derby')).toMatchObject({ genres: ['Cricket'], cast: ['Mumbai Mariners', 'Delhi Comets'] });
    expect(byTitle('Football Classic')).toMatchObject({ genres: ['Football'], cast: ['Reds FC', 'Blues FC'] });
    expect(byTitle('Stand-up Spectacular').genres).toEqual(['Comedy']);
    expect(events.filter((e) => e.genres.includes('Comedy')).map((e) => e.title)).toEqual(['Stand-up Spectacular']);
    for (const e of events) expect(e.cast.filter((c) => actors.has(c))).toEqual([]);
  });

  it('has the promised size and shape', () => {
    expect(catalog.cities.length).toBeGreaterThanOrEqual(5);
    expect(new Set(catalog.cities.map((c) => c.timeZone)).size).toBeGreaterThan(1);
    expect(catalog.venues.length).toBeGreaterThanOrEqual(30);
    expect(catalog.movies.length).toBeGreaterThanOrEqual(40);
    expect(catalog.shows.length).toBeGreaterThanOrEqual(2000);
    const multiplexLayouts = catalog.layouts.filter((l) => !l.id.includes('arena'));
    expect(multiplexLayouts.every((l) => l.seatCount >= 150 && l.seatCount <= 400)).toBe(true);
    expect(multiplexLayouts.every((l) => l.categories.length >= 2 && l.categories.length <= 3)).toBe(true);
    const stadium = catalog.layouts.find((l) => l.id.includes('arena'))!;
    expect(stadium.seatCount).toBeGreaterThanOrEqual(20_000);
    for (const l of catalog.layouts) expect(layoutProblems(l)).toEqual([]);
    expect(
      catalog.layouts.every((l) =>
        l.sections.every((s) => s.rows.reduce((n, r) => n + r.cells.filter(Boolean).length, 0) <= MAX_SECTION_SEATS),
      ),
    ).toBe(true);
  });

  it('schedules no overlapping shows on a screen and prices every category in integer minor units', () => {
    const byScreen = new Map<string, typeof catalog.shows>();
    for (const s of catalog.shows)
      byScreen.set(`${s.venueId}/${s.screenId}`, [...(byScreen.get(`${s.venueId}/${s.screenId}`) ?? []), s]);
    for (const shows of byScreen.values()) for (const s of shows) expect(findOverlap(s, shows)).toBeUndefined();
    const layouts = new Map(catalog.layouts.map((l) => [l.id, l]));
    for (const s of catalog.shows) {
      const cats = layouts
        .get(s.layoutId)!
        .categories.map((c) => c.id)
        .sort();
      expect(Object.keys(s.prices).sort()).toEqual(cats);
      for (const p of Object.values(s.prices)) expect(Number.isInteger(p.minor) && p.minor > 0).toBe(true);
    }
  });
});
