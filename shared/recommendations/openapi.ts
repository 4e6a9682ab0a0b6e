// The recommendation routes in the OpenAPI document (functions/recommendations.ts).
import { anonymous, signedIn, type ApiOperation } from '../http/openapi/operation.js';
import { RailSchema, RecommendationQuerySchema } from './api-schemas.js';

export const recommendationOperations: ApiOperation[] = [
  {
    name: 'me-recommendations',
    method: 'get',
    route: 'me/recommendations',
    tag: 'Recommendations',
    summary: 'My recommendations',
    description: 'A personal rail from my bookings and stated tastes; each item with its reason and next shows.',
    access: signedIn,
    query: RecommendationQuerySchema,
    responses: { 200: { description: 'The rail', schema: RailSchema, headers: { 'Cache-Control': 'no-store' } } },
    problems: [],
  },
  {
    name: 'recommendations',
    method: 'get',
    route: 'recommendations',
    tag: 'Recommendations',
    summary: 'Trending and new in a city',
    access: anonymous(),
    query: RecommendationQuerySchema,
    responses: {
      200: { description: 'The rail', schema: RailSchema, headers: { 'Cache-Control': 'public, max-age=10' } },
    },
    problems: [],
    publicMaxAge: 10,
  },
];
