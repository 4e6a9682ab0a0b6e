// What the catalog relies on from a CatalogStore (shared/catalog/ports.ts): documents read back as
// written (whatever the store adds is not answered), one kind of document never answered for
// another, a city's venues, the day's shows of a city, the shows of one screen in a time range, and upserts.
// `make` answers a store on storage no other case writes to.
import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../shared/catalog/ports.js';
import { generateDemoCatalog } from '../../shared/demo/generate.js';
import type { Show } from '../../shared/domain/catalog.js';

const demo = generateDemoCatalog({ seed: 'contract', firstDate: '2030-01-01', days: 2 });
const city = demo.cities[0]!;
const venue = demo.venues.find((v) => v.city === city.id)!;
const screen = venue.screens[0]!;
const showsOfVenue = demo.shows.filter((s) => s.venueId === venue.id);
const byId = (list: Show[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

export function catalogStoreCases(make: () => CatalogStore): void {
  describe('CatalogStore', () => {
    it('reads back cities, movies, venues, shows and layouts as they were put', async () => {
      const store = make();
      const movie = demo.movies[0]!;
      const layout = demo.layouts.find((l) => l.id === screen.layoutId)!;
      const show = showsOfVenue[0]!;
      await Promise.all([
        ...demo.cities.map((c) => store.putCity(c)),
        store.putMovie(movie),
        store.putMovie(demo.movies[1]!),
        store.putVenue(venue),
        store.putShow(show),
        store.putLayout(layout),
      ]);
      expect([...(await store.cities())].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [...demo.cities].sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(await store.movie(movie.id)).toEqual(movie);
      expect((await store.movies()).map((m) => m.id).sort()).toEqual([movie.id, demo.movies[1]!.id].sort());
      expect(await store.venue(city.id, venue.id)).toEqual(venue);
      expect(await store.show(city.id, show.id)).toEqual(show);
      expect(await store.layout(layout.id)).toEqual(layout);
    });

    it('answers nothing for an unknown id or a document of another kind', async () => {
      const store = make();
      const show = showsOfVenue[0]!;
      await Promise.all([store.putVenue(venue), store.putShow(show)]);
      expect(await store.show(city.id, venue.id)).toBeUndefined();
      expect(await store.venue(city.id, show.id)).toBeUndefined();
      expect(await store.movie('no-such-movie')).toBeUndefined();
      expect(await store.layout('no-such-layout')).toBeUndefined();
      expect(await store.show('no-such-city', show.id)).toBeUndefined();
    });

    it("lists a city's venues, and no other city's nor other kinds of document", async () => {
      const store = make();
      const mine = demo.venues.filter((v) => v.city === city.id);
      const other = demo.venues.find((v) => v.city !== city.id)!;
      await Promise.all([...mine, other].map((v) => store.putVenue(v)));
      await store.putShow(showsOfVenue[0]!);
      const got = (await store.venues(city.id)).sort((a, b) => a.id.localeCompare(b.id));
      expect(got).toEqual([...mine].sort((a, b) => a.id.localeCompare(b.id)));
      expect(await store.venues('nowhere')).toEqual([]);
    });

    it("lists a city's shows of one local date", async () => {
      const store = make();
      const other = demo.shows.find((s) => s.city !== city.id)!;
      await Promise.all([...showsOfVenue, other].map((s) => store.putShow(s)));
      for (const date of ['2030-01-01', '2030-01-02']) {
        expect(byId(await store.showsOn(city.id, date))).toEqual(
          byId(showsOfVenue.filter((s) => s.localDate === date)),
        );
      }
      expect(await store.showsOn(city.id, '2030-02-01')).toEqual([]);
    });

    it('lists the shows of one screen starting in [from, to)', async () => {
      const store = make();
      await Promise.all(showsOfVenue.map((s) => store.putShow(s)));
      const onScreen = showsOfVenue
        .filter((s) => s.screenId === screen.id)
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      expect(onScreen.length).toBeGreaterThan(2);
      const from = onScreen[1]!.startsAt;
      const to = onScreen[onScreen.length - 1]!.startsAt;
      expect(byId(await store.showsOnScreen(city.id, venue.id, screen.id, from, to))).toEqual(
        byId(onScreen.slice(1, -1)),
      );
    });

    it('replaces a document put again, and keeps markers', async () => {
      const store = make();
      const show: Show = { ...showsOfVenue[0]!, id: 'contract-show', city: 'contract-city' };
      await store.putShow(show);
      await store.putShow({ ...show, status: 'cancelled' });
      expect(await store.show(show.city, show.id)).toEqual({ ...show, status: 'cancelled' });
      expect(await store.marker('contract-marker')).toBeUndefined();
      await store.putMarker('contract-marker', { loadedAt: '2030-01-01T00:00:00.000Z' });
      expect(await store.marker('contract-marker')).toMatchObject({ loadedAt: '2030-01-01T00:00:00.000Z' });
    });
  });
}
