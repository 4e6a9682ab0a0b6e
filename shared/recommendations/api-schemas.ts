// The recommendation routes' HTTP contract (functions/recommendations.ts) as zod schemas.
import { z } from 'zod';
import { Instant, type Assert, type Describes } from '../http/openapi/common.js';
import type { Rail } from './service.js';

export const RecommendationQuerySchema = z.strictObject({
  city: z.string().min(1).max(20).optional().meta({ description: "A city id; signed in, the profile's by default" }),
  limit: z.coerce.number().int().min(1).max(30).default(10),
});
export const RailSchema = z
  .object({
    city: z.string(),
    cityName: z.string(),
    basis: z.enum(['history', 'preferences', 'trending']),
    items: z.array(
      z.object({
        movieId: z.string(),
        title: z.string(),
        kind: z.enum(['movie', 'event']),
        genres: z.array(z.string()),
        poster: z.string().optional(),
        score: z.number(),
        components: z.object({
          affinity: z.number(),
          coBooking: z.number(),
          trending: z.number(),
          newness: z.number(),
        }),
        reason: z.string().meta({ description: 'Why it is recommended, for people' }),
        shows: z
          .array(
            z.object({
              showId: z.string(),
              venueId: z.string(),
              venueName: z.string(),
              startsAt: Instant,
              localHour: z.int(),
              language: z.string(),
              format: z.string(),
              fromMinor: z.int().meta({ description: 'Cheapest seat, minor units' }),
            }),
          )
          .meta({ description: 'The next bookable shows (at most three)' }),
      }),
    ),
  })
  .meta({ id: 'RecommendationRail' });

export type RecommendationSchemasDescribeTheirTypes = [Assert<Describes<Rail, typeof RailSchema>>];
