// The chosen city, remembered across visits (localStorage), and the cities list loaded once.
import { cities as loadCities } from './api/catalog';
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
