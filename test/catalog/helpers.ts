// Helpers for catalog end-to-end tests: JSON over real HTTP against a started host.
import { expect } from 'vitest';

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(
  origin: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await fetch(origin + path, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Asserts a problem+json 400 that names `field`. */
export function expectBadField(reply: Reply, field: string): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  const errors = (reply.body as { errors?: { field: string }[] }).errors ?? [];
  expect(errors.map((e) => e.field)).toContain(field);
}

export interface ShowDto {
  id: string;
  city: string;
  title: string;
  kind: 'movie' | 'event';
  movieId: string;
  venueId: string;
  screenId: string;
  layoutId: string;
  language: string;
  format: string;
  genres: string[];
  startsAt: string;
  endsAt: string;
  localDate: string;
  prices: Record<string, { minor: number; currency: string }>;
  status: string;
}

export interface ShowPageDto {
  city: string;
  date: string;
  items: ShowDto[];
  continuation?: string;
}

/** Every show of a search, following continuation tokens. */
export async function allShows(origin: string, query: string, limit = 100): Promise<ShowDto[]> {
  const out: ShowDto[] = [];
  let token: string | undefined;
  do {
    const r = await call<ShowPageDto>(
      origin,
      `/api/shows?${query}&limit=${limit}${token ? `&continuation=${encodeURIComponent(token)}` : ''}`,
    );
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    token = r.body.continuation;
  } while (token);
  return out;
}

export function tomorrow(timeZone: string): string {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + 24 * 3600_000),
  );
  return d;
}
