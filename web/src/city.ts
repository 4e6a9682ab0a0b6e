// The chosen city, remembered across visits (localStorage), and the cities list loaded once.
import { cities as loadCities, show as getShow } from './api/catalog';
import type { City } from './api/types';
import { createStore } from './store';

const KEY = 'marquee.city';

const read = () => {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
};

export const cityId = createStore<string>(read());

export function chooseCity(id: string): void {
  try {
    localStorage.setItem(KEY, id);
  } catch {
    // Private mode: remembered for this page only.
  }
  cityId.set(id);
}

let citiesPromise: Promise<City[]> | undefined;
export function allCities(): Promise<City[]> {
  citiesPromise ??= loadCities().catch((err: unknown) => {
    citiesPromise = undefined;
    throw err;
  });
  return citiesPromise;
}

const zones = new Map<string, Promise<string | undefined>>();
/** The time zone of a show's city (bookings carry a show snapshot without it). */
export function zoneOfShow(showId: string): Promise<string | undefined> {
  let p = zones.get(showId);
  if (!p) {
    p = Promise.all([getShow(showId), allCities()]).then(
      ([s, cs]) => cs.find((c) => c.id === s.city)?.timeZone,
      () => undefined,
    );
    zones.set(showId, p);
  }
  return p;
}
