import { describe, expect, it } from 'vitest';
import { decodeAvailability, encodeAvailability, freeByCategory } from '../../../shared/domain/availability.js';
import { findOverlap, showsOverlap, type Show } from '../../../shared/domain/catalog.js';
import { layoutProblems, MAX_SECTION_SEATS } from '../../../shared/domain/layout.js';
import { buildStadiumLayout } from '../../../shared/domain/layout-builder.js';
import { checkSeatRequest } from '../../../shared/domain/seat-request.js';
import { searchShows } from '../../../shared/domain/show-search.js';
import { addDays, isValidDate, localDate, zonedInstant } from '../../../shared/domain/zoned-time.js';
import type { SeatMap } from '../../../shared/domain/section.js';
import { categories, screen, T0, iso } from './fixtures.js';

describe('layouts', () => {
  it('lists seats in layout order with gaps, aisles, categories and wheelchair pairs', () => {
    expect(layoutProblems(screen.layout)).toEqual([]);
    expect(screen.seats.length).toBe(screen.layout.seatCount);
    expect(screen.layout.sections.map((s) => s.id)).toEqual(['classic', 'prime', 'recliner']);
    const a = screen.layout.sections[0]!.rows[0]!.cells;
    expect(a[4]).toBeNull(); // the aisle after the first block
    expect(screen.byId.get('A1')!.kind).toBe('wheelchair');
    expect(screen.byId.get('A2')!.kind).toBe('companion');
    expect(screen.byId.get('G1')!.col).toBe(4); // indented recliner row
  });

  it('splits stadium sections and rejects a section over 1,000 seats', () => {
    const ok = buildStadiumLayout({
      id: 's',
      version: 1,
      name: 's',
      categories,
      sections: [{ id: 'N1', name: 'N1', category: 'classic', rows: 40, seatsPerRow: 25 }],
    });
    expect(ok.seatCount).toBe(MAX_SECTION_SEATS);
    expect(layoutProblems(ok)).toEqual([]);
    const big = buildStadiumLayout({
      id: 's',
      version: 1,
      name: 's',
      categories,
      sections: [{ id: 'N1', name: 'N1', category: 'classic', rows: 41, seatsPerRow: 25 }],
    });
    expect(layoutProblems(big)).toEqual(['section N1 has 1025 seats (max 1000)']);
  });
});

describe('seat requests', () => {
  it('names each problem', () => {
    expect(checkSeatRequest(screen, [])).toMatchObject({ ok: false, problem: 'NO_SEATS' });
    expect(checkSeatRequest(screen, ['C1', 'C1'])).toMatchObject({
      ok: false,
      problem: 'DUPLICATE_SEATS',
      seats: ['C1'],
    });
    expect(
      checkSeatRequest(screen, ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11']),
    ).toMatchObject({ ok: false, problem: 'TOO_MANY_SEATS' });
    expect(checkSeatRequest(screen, ['C1', 'Z9'])).toMatchObject({
      ok: false,
      problem: 'UNKNOWN_SEATS',
      seats: ['Z9'],
    });
    expect(checkSeatRequest(screen, ['A5', 'C5'])).toMatchObject({ ok: false, problem: 'MULTIPLE_SECTIONS' });
    expect(checkSeatRequest(screen, ['C5', 'D5'])).toEqual({ ok: true, sectionId: 'prime' });
  });
});

describe('availability encoding', () => {
  it('is one character per seat in layout order: free, unavailable, blocked', () => {
    const seats = new Map<string, SeatMap>([
      [
        'prime',
        {
          C1: { s: 'held' as const, holdId: 'h', userId: 'u', expiresAt: iso(T0 + 1000) },
          C2: { s: 'held' as const, holdId: 'h', userId: 'u', expiresAt: iso(T0 - 1) },
          C3: { s: 'booked' as const, bookingId: 'b', holdId: 'h' },
        },
      ],
      ['classic', { A5: { s: 'blocked' as const } }],
    ]);
    const enc = encodeAvailability(screen, seats, T0);
    expect(enc.length).toBe(screen.seats.length);
    const map = decodeAvailability(screen, enc);
    expect([map.get('C1'), map.get('C2'), map.get('C3'), map.get('A5'), map.get('A6')]).toEqual([
      '1',
      '0',
      '1',
      '2',
      '0',
    ]);
    expect(freeByCategory(screen, enc).prime).toBe(64 - 2);
  });
});

const show = (id: string, startsAt: string, minutes: number, extra: Partial<Show> = {}): Show => ({
  id,
  city: 'blr',
  movieId: 'm1',
  kind: 'movie',
  title: 'The Last Monsoon',
  genres: ['Drama'],
  language: 'Hindi',
  format: '2D',
  certificate: 'U',
  durationMinutes: minutes,
  venueId: 'v1',
  venueName: 'V',
  screenId: 's1',
  screenName: 'S',
  layoutId: 'l',
  startsAt,
  endsAt: iso(Date.parse(startsAt) + minutes * 60_000),
  localDate: startsAt.slice(0, 10),
  prices: {},
  status: 'scheduled',
  ...extra,
});

describe('shows', () => {
  it('overlap on one screen includes the turnaround', () => {
    const a = show('a', '2026-11-24T10:00:00.000Z', 120);
    expect(showsOverlap(a, show('b', '2026-11-24T12:10:00.000Z', 60))).toBe(true);
    expect(showsOverlap(a, show('b', '2026-11-24T12:15:00.000Z', 60))).toBe(false);
    expect(findOverlap(show('c', '2026-11-24T11:00:00.000Z', 60), [a])?.id).toBe('a');
    expect(findOverlap(show('c', '2026-11-24T11:00:00.000Z', 60, { screenId: 's2' }), [a])).toBeUndefined();
    expect(findOverlap(show('c', '2026-11-24T11:00:00.000Z', 60), [{ ...a, status: 'cancelled' }])).toBeUndefined();
  });

  it('search filters combine, sort by start then id, and pages return each show once', () => {
    const shows = Array.from({ length: 23 }, (_, i) =>
      show(`s${String(i).padStart(2, '0')}`, iso(T0 + (i % 7) * 3600_000), 100, {
        language: i % 2 ? 'Hindi' : 'Tamil',
        format: i % 3 ? '2D' : 'IMAX',
        title: i % 4 ? 'Iron Kite' : 'Seven Rivers',
      }),
    );
    const seen: string[] = [];
    let after;
    for (;;) {
      const page = searchShows(shows, {}, 5, after);
      seen.push(...page.items.map((s) => s.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen.length).toBe(23);
    expect(new Set(seen).size).toBe(23);
    const sorted = [...shows]
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id))
      .map((s) => s.id);
    expect(seen).toEqual(sorted);
    const filtered = searchShows(shows, { language: ['hindi'], format: ['IMAX'], q: 'iron' }, 100).items;
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((s) => s.language === 'Hindi' && s.format === 'IMAX' && s.title === 'Iron Kite')).toBe(true);
    expect(filtered.length).toBe(
      shows.filter((s) => s.language === 'Hindi' && s.format === 'IMAX' && s.title === 'Iron Kite').length,
    );
  });
});

describe('zoned time', () => {
  it('computes local dates and wall-clock instants per time zone', () => {
    const t = Date.parse('2026-11-24T20:00:00Z');
    expect(localDate(t, 'Asia/Kolkata')).toBe('2026-11-25');
    expect(localDate(t, 'Europe/London')).toBe('2026-11-24');
    expect(iso(zonedInstant('2026-11-24', 19 * 60, 'Asia/Kolkata'))).toBe('2026-11-24T13:30:00.000Z');
    expect(iso(zonedInstant('2026-07-01', 9 * 60, 'Europe/London'))).toBe('2026-07-01T08:00:00.000Z');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect([
      isValidDate('2026-02-29'),
      isValidDate('2028-02-29'),
      isValidDate('2026-13-01'),
      isValidDate('26-1-1'),
    ]).toEqual([false, true, false, false]);
  });
});
