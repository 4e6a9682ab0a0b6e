// The catalog's HTTP contract as zod schemas: what functions/cities.ts, movies.ts, shows.ts,
// venues.ts and layouts.ts validate requests with, and what they answer. shared/catalog/openapi.ts
// describes the routes with them (docs/api.md).
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { FORMATS, type City, type Format, type Movie, type Show, type Venue } from '../domain/catalog.js';
import type { Layout } from '../contracts/layout.js';
import { addDays, isValidDate, isValidTimeZone } from '../domain/zoned-time.js';
import { MAX_SEARCH_DAYS, TIMES_OF_DAY, type TimeOfDay } from '../domain/show-search.js';
import { Instant, LocalDate, MoneySchema, type Assert, type Describes } from '../http/openapi/common.js';

const text = z.string().trim().min(1).max(100);
export const FormatSchema = z.enum(FORMATS as [Format, ...Format[]]).meta({ id: 'Format' });
const money = z.strictObject({
  minor: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

// --- Cities
export const CityBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone').meta({ example: 'Asia/Kolkata' }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
});
export const CityParamsSchema = z.object({
  cityId: z
    .string()
    .regex(/^[a-z0-9]{2,12}$/, 'lower-case letters and digits')
    .meta({ example: 'blr' }),
});
export const CitySchema = z
  .object({ id: z.string(), name: z.string(), timeZone: z.string(), currency: z.string() })
  .meta({ id: 'City', example: { id: 'blr', name: 'Bengaluru', timeZone: 'Asia/Kolkata', currency: 'INR' } });
export const CityListSchema = z.object({ items: z.array(CitySchema) });

// --- Movies and live events
export const MovieQuerySchema = z.strictObject({
  city: text.optional(),
  genre: text.optional(),
  language: text.optional(),
  q: text.optional().meta({ description: 'Words of the title' }),
});
export const MovieParamsSchema = z.object({ movieId: documentId });
export const MovieBodySchema = z.strictObject({
  kind: z.enum(['movie', 'event']),
  title: z.string().trim().min(1).max(200),
  genres: z.array(text).min(1).max(10),
  languages: z.array(text).min(1).max(10),
  formats: z.array(z.enum(FORMATS as [string, ...string[]]).transform((f) => f as (typeof FORMATS)[number])).min(1),
  certificate: z.string().trim().min(1).max(20),
  durationMinutes: z.number().int().min(10).max(600),
  rating: z.number().min(0).max(10).optional(),
  cast: z.array(text).max(50).optional(),
  poster: z.string().max(500).optional(),
  releaseDate: z.string().refine(isValidDate, 'a date YYYY-MM-DD'),
});
/** PATCH: any of the fields, each as on create. */
export const MoviePatchSchema = MovieBodySchema.partial();
export const MovieSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['movie', 'event']),
    title: z.string(),
    genres: z.array(z.string()),
    languages: z.array(z.string()),
    formats: z.array(FormatSchema),
    certificate: z.string(),
    durationMinutes: z.int(),
    rating: z.number().optional(),
    cast: z.array(z.string()),
    poster: z.string().optional(),
    releaseDate: LocalDate,
    cities: z.array(z.string()).meta({ description: 'Cities where it currently plays' }),
    status: z.enum(['active', 'withdrawn']).optional(),
  })
  .meta({ id: 'Movie' });
export const MovieListSchema = z.object({ items: z.array(MovieSchema) });

// --- Shows
/** A comma-separated list in one query parameter (`genre=Drama,Comedy`): any of the values matches. */
const listOf = <T extends z.ZodType<string, string>>(item: T, description: string) =>
  z
    .string()
    .max(300)
    .transform((v, ctx) => {
      const out: z.output<T>[] = [];
      for (const x of v.split(',').map((p) => p.trim())) {
        if (!x) continue;
        const r = item.safeParse(x);
        // One issue on the parameter itself, so the 400 names `query.<param>` and the bad value.
        if (!r.success) {
          ctx.addIssue({ code: 'custom', message: `${x}: ${r.error.issues[0]?.message ?? 'not allowed'}` });
          return z.NEVER;
        }
        out.push(r.data);
      }
      if (!out.length || out.length > 10) {
        ctx.addIssue({ code: 'custom', message: 'one to ten comma-separated values' });
        return z.NEVER;
      }
      return out;
    })
    .optional()
    .meta({ description: `${description}; several comma-separated values match any of them` });
const localDate = z.string().refine(isValidDate, 'a date YYYY-MM-DD');
export const ShowQuerySchema = z
  .strictObject({
    city: z.string().min(1).max(20).meta({ example: 'blr' }),
    date: localDate.optional().meta({
      description: "The city's local date (the first of a range); today there by default",
      example: '2026-07-14',
    }),
    to: localDate.optional().meta({
      description: `The last local date of a range starting at \`date\` (inclusive, at most ${MAX_SEARCH_DAYS} days)`,
      example: '2026-07-16',
    }),
    movieId: documentId.optional(),
    venueId: documentId.optional(),
    kind: z
      .enum(['movie', 'event'])
      .optional()
      .meta({ description: 'Movies, or live events (concerts, sports, comedy, plays)' }),
    genre: listOf(text, 'Genres'),
    language: listOf(text, 'Languages'),
    format: listOf(FormatSchema, 'Formats'),
    time: listOf(
      z.enum(TIMES_OF_DAY as [TimeOfDay, ...TimeOfDay[]]),
      'Times of day by local start: morning (before 12:00), afternoon (to 17:00), evening (to 21:00), night',
    ),
    maxPrice: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .optional()
      .meta({ description: 'Cheapest seat at most this, in minor units' }),
    q: text.optional().meta({ description: 'Words of the title, the venue or a cast member' }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    continuation: z.string().max(500).optional().meta({ description: 'The previous page’s `continuation`' }),
  })
  .superRefine((q, ctx) => {
    if (q.to === undefined) return;
    if (q.date === undefined) ctx.addIssue({ code: 'custom', path: ['date'], message: 'required with `to`' });
    else if (q.to < q.date) ctx.addIssue({ code: 'custom', path: ['to'], message: 'on or after `date`' });
    else if (addDays(q.date, MAX_SEARCH_DAYS - 1) < q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_SEARCH_DAYS} days after \`date\`` });
  });
export const ShowParamsSchema = z.object({ showId: documentId });
export const ShowBodySchema = z.strictObject({
  movieId: documentId,
  venueId: documentId,
  screenId: text,
  startsAt: z.iso.datetime({ offset: true }),
  language: text,
  format: FormatSchema,
  prices: z.record(z.string(), money).meta({ description: 'Seat category id → price of one ticket' }),
  nonRefundable: z.boolean().optional(),
});
export const ShowPatchSchema = ShowBodySchema.pick({
  startsAt: true,
  language: true,
  format: true,
  prices: true,
  nonRefundable: true,
}).partial();
export const ShowSchema = z
  .object({
    id: z.string(),
    city: z.string(),
    movieId: z.string(),
    kind: z.enum(['movie', 'event']),
    title: z.string(),
    genres: z.array(z.string()),
    language: z.string(),
    format: FormatSchema,
    certificate: z.string(),
    durationMinutes: z.int(),
    venueId: z.string(),
    venueName: z.string(),
    screenId: z.string(),
    screenName: z.string(),
    layoutId: z.string(),
    startsAt: Instant,
    endsAt: Instant,
    localDate: LocalDate,
    prices: z.record(z.string(), MoneySchema),
    status: z.enum(['scheduled', 'cancelled']),
    nonRefundable: z.boolean().optional(),
  })
  .meta({ id: 'Show' });
export const ShowSearchPageSchema = z
  .object({
    city: z.string(),
    date: LocalDate,
    to: LocalDate.meta({ description: 'The last date searched (`date` for one day)' }),
    timeZone: z.string(),
    items: z.array(ShowSchema),
    continuation: z.string().optional().meta({ description: 'Send it back for the next page; absent on the last' }),
  })
  .meta({ id: 'ShowSearchPage' });

// --- Venues and layouts
export const VenueParamsSchema = z.object({ venueId: documentId });
export const VenueQuerySchema = z.strictObject({ city: z.string().min(1).max(20).meta({ example: 'mum' }) });
const RowSchema = z.strictObject({
  label: z.string().regex(/^[A-Z]{1,3}$/, 'upper-case letters'),
  category: z.string().min(1).max(30),
  blocks: z
    .array(z.number().int().min(1).max(60))
    .min(1)
    .max(6)
    .meta({ description: 'Seats per block, aisles between' }),
  indent: z.number().int().min(0).max(20).optional(),
  wheelchairPairs: z.number().int().min(0).max(10).optional(),
});
export const ScreenSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{1,12}$/, 'lower-case letters and digits'),
  name: z.string().trim().min(1).max(80),
  formats: z.array(FormatSchema).min(1),
  categories: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,30}$/), name: z.string().min(1).max(40) }))
    .min(1)
    .max(5),
  rows: z.array(RowSchema).min(1).max(60),
  aisleWidth: z.number().int().min(1).max(4).optional(),
});
export const VenueBodySchema = z.strictObject({
  city: z.string().min(1).max(20),
  name: z.string().trim().min(1).max(120),
  kind: z.enum(['multiplex', 'stadium']).default('multiplex'),
  address: z.string().trim().min(1).max(300),
  screens: z.array(ScreenSchema).min(1).max(20),
});
export const VenuePatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  address: z.string().trim().min(1).max(300).optional(),
  screens: z.array(ScreenSchema).min(1).max(20).optional(),
});
export const VenueSchema = z
  .object({
    id: z.string(),
    city: z.string(),
    name: z.string(),
    kind: z.enum(['multiplex', 'stadium']),
    address: z.string(),
    screens: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        layoutId: z.string(),
        seatCount: z.int(),
        formats: z.array(FormatSchema),
      }),
    ),
    status: z.enum(['open', 'closed']).optional(),
  })
  .meta({ id: 'Venue' });
export const VenueListSchema = z.object({ items: z.array(VenueSchema) });

export const LayoutParamsSchema = z.object({ layoutId: documentId });
const LayoutSeatSchema = z.object({
  id: z.string(),
  n: z.int().meta({ description: 'Printed seat number within the row' }),
  kind: z.enum(['standard', 'wheelchair', 'companion']).optional(),
});
export const LayoutSchema = z
  .object({
    id: z.string(),
    version: z.int(),
    name: z.string(),
    categories: z.array(z.object({ id: z.string(), name: z.string() })),
    sections: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        position: z
          .object({ angle: z.number(), span: z.number(), ring: z.int().optional() })
          .optional()
          .meta({ description: 'Stadiums: degrees clockwise from the top, degrees covered, tier (0 = lower)' }),
        rank: z.int().optional().meta({ description: 'Stadiums: view quality, 1 = best' }),
        rows: z.array(
          z.object({
            label: z.string(),
            category: z.string(),
            cells: z.array(LayoutSeatSchema.nullable()).meta({ description: 'Seats left to right; null is a gap' }),
          }),
        ),
      }),
    ),
    seatCount: z.int(),
  })
  .meta({
    id: 'Layout',
    description: 'A seat layout; its order is the order of the availability string (docs/seat-map.md)',
  });

export type CatalogSchemasDescribeTheirTypes = [
  Assert<Describes<City, typeof CitySchema>>,
  Assert<Describes<Movie, typeof MovieSchema>>,
  Assert<Describes<Show, typeof ShowSchema>>,
  Assert<Describes<Venue, typeof VenueSchema>>,
  Assert<Describes<Layout, typeof LayoutSchema>>,
];
