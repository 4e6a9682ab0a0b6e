// Profiles and booking history over HTTP: GET/PUT /api/me/profile (zod-validated, 400 naming the
// fields), GET /api/users/{id}/profile (self or operator), GET /api/me/bookings (upcoming/past,
// paged with a continuation token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { api, book, createShow, signIn, startBookingHost, type Caller } from './helpers.js';

let host: TestHost;
let operator: Caller;

beforeAll(async () => {
  host = await startBookingHost();
  operator = await signIn(host, 'op-profile', ['operator']);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe('profile', () => {
  it('reads defaults, saves a valid profile, and names every bad field', async () => {
    const u = await signIn(host, 'priya');
    const initial = await api(host, u, 'GET', '/api/me/profile');
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      userId: 'priya',
      name: 'priya',
      languages: [],
      notifications: { email: true },
    });

    const body = {
      name: 'Priya S',
      phone: '+919812345678',
      city: 'blr',
      languages: ['Kannada', 'English'],
      genres: ['Drama'],
      notifications: { email: true, sms: true, push: false, whatsapp: false, reminderHours: [24, 2] },
    };
    const saved = await api(host, u, 'PUT', '/api/me/profile', body);
    expect(saved.status).toBe(200);
    expect((await api(host, u, 'GET', '/api/me/profile')).body).toMatchObject(body);

    const bad = await api(host, u, 'PUT', '/api/me/profile', {
      name: '',
      phone: '12345',
      city: 'Bengaluru!',
      notifications: { email: 'yes' },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.phone', 'body.city']));
    expect(fields.some((f: string) => f.startsWith('body.notifications'))).toBe(true);
  });

  it('shows a profile to its owner and operators only', async () => {
    const a = await signIn(host, 'owner-a');
    const b = await signIn(host, 'other-b');
    await api(host, a, 'PUT', '/api/me/profile', { name: 'Owner A' });
    expect((await api(host, a, 'GET', '/api/users/owner-a/profile')).body.name).toBe('Owner A');
    expect((await api(host, operator, 'GET', '/api/users/owner-a/profile')).body.name).toBe('Owner A');
    expect((await api(host, b, 'GET', '/api/users/owner-a/profile')).status).toBe(404);
    expect((await api(host, undefined, 'GET', '/api/me/profile')).status).toBe(401);
  });
});

describe('booking history', () => {
  it('lists upcoming and past bookings, paged with a continuation token', async () => {
    const u = await signIn(host, 'history');
    const shows = await Promise.all([30, 40, 50].map((h) => createShow(host, operator, h)));
    for (const s of shows) expect((await book(host, u, { showId: s.showId, seatIds: ['A1'] })).status).toBe(201);

    const first = await api(host, u, 'GET', '/api/me/bookings?when=upcoming&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((b: { showId: string }) => b.showId)).toEqual([shows[0]!.showId, shows[1]!.showId]);
    expect(first.body.continuation).toBeTruthy();
    const second = await api(
      host,
      u,
      'GET',
      `/api/me/bookings?when=upcoming&limit=2&continuation=${first.body.continuation}`,
    );
    expect(second.body.items.map((b: { showId: string }) => b.showId)).toEqual([shows[2]!.showId]);
    expect(second.body.continuation).toBeUndefined();
    expect((await api(host, u, 'GET', '/api/me/bookings?when=past')).body.items).toEqual([]);
    expect((await api(host, u, 'GET', '/api/me/bookings?continuation=garbage')).status).toBe(400);
    expect((await api(host, u, 'GET', '/api/me/bookings?when=tomorrow')).status).toBe(400);
    const other = await signIn(host, 'history-other');
    expect((await api(host, other, 'GET', '/api/me/bookings')).body.items).toEqual([]);
  });
});
