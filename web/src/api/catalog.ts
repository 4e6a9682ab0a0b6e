// Catalog reads. Layouts are immutable per id and cached for the page's life; a city's day of
// shows is fetched through every continuation page (at most a few hundred shows).
import { get, query, request } from './client';
import type { Availability, City, Layout, Movie, Show, Venue } from './types';

export const cities = async () => (await get<{ items: City[] }>('/api/cities')).items;

export const movies = async (params: { city?: string; genre?: string; language?: string; q?: string } = {}) =>
  (await get<{ items: Movie[] }>(`/api/movies${query(params)}`)).items;

export const movie = (id: string) => get<Movie>(`/api/movies/${encodeURIComponent(id)}`);
export const show = (id: string) => get<Show>(`/api/shows/${encodeURIComponent(id)}`);
export const venue = (id: string) => get<Venue>(`/api/venues/${encodeURIComponent(id)}`);
/** A city's venues; `fresh` revalidates past the browser's cache (after an operator's write). */
export const venues = async (city: string, fresh = false) =>
  (await request<{ items: Venue[] }>(`/api/venues${query({ city })}`, fresh ? { cache: 'no-cache' } : {})).body.items;

interface ShowPage {
  city: string;
  date: string;
  timeZone: string;
  items: Show[];
  continuation?: string;
}

export async function showsOn(
  params: { city: string; date: string; to?: string; movieId?: string; venueId?: string; kind?: 'movie' | 'event' },
  signal?: AbortSignal,
  fresh = false,
): Promise<Show[]> {
  const all: Show[] = [];
  let continuation: string | undefined;
  for (let page = 0; page < 50; page++) {
    const path = `/api/shows${query({ ...params, limit: 100, continuation })}`;
    const { body } = await request<ShowPage>(path, { signal, ...(fresh ? { cache: 'no-cache' as const } : {}) });
    all.push(...body.items);
    continuation = body.continuation;
    if (!continuation) break;
  }
  return all;
}

const layouts = new Map<string, Promise<Layout>>();
export function layout(id: string): Promise<Layout> {
  let p = layouts.get(id);
  if (!p) {
    p = get<Layout>(`/api/layouts/${encodeURIComponent(id)}`);
    p.catch(() => layouts.delete(id));
    layouts.set(id, p);
  }
  return p;
}

const etags = new Map<string, { etag: string; body: Availability }>();
/** The show's availability; revalidates with If-None-Match so an unchanged map costs a 304. */
export async function availability(showId: string, signal?: AbortSignal): Promise<Availability> {
  const cached = etags.get(showId);
  const res = await request<Availability>(`/api/shows/${encodeURIComponent(showId)}/seats`, {
    signal,
    headers: cached ? { 'if-none-match': cached.etag } : {},
    auth: false,
  });
  if (res.status === 304 && cached) return cached.body;
  const etag = res.headers.get('etag');
  if (etag) etags.set(showId, { etag, body: res.body });
  return res.body;
}

export interface BestAvailable {
  seatIds: string[];
  sectionId: string;
  adjacent: boolean;
}

export async function bestAvailable(
  showId: string,
  body: { count: number; category?: string; wheelchair?: boolean },
): Promise<BestAvailable> {
  return (
    await request<BestAvailable>(`/api/shows/${encodeURIComponent(showId)}/best-available`, { method: 'POST', body })
  ).body;
}
