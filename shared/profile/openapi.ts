// The signed-in user's own routes in the OpenAPI document (functions/me.ts).
import { signedIn, type ApiOperation } from '../http/openapi/operation.js';
import {
  BookingHistorySchema,
  HistoryQuerySchema,
  ProfileBodySchema,
  ProfileSchema,
  UserParamsSchema,
} from './api-schemas.js';

const noStore = { 'Cache-Control': 'no-store' };

export const profileOperations: ApiOperation[] = [
  {
    name: 'me-bookings',
    method: 'get',
    route: 'me/bookings',
    tag: 'Me',
    summary: 'My bookings',
    description: 'Upcoming (soonest first) or past (latest first), paged with `continuation`.',
    access: signedIn,
    query: HistoryQuerySchema,
    responses: { 200: { description: 'One page', schema: BookingHistorySchema, headers: noStore } },
    problems: [],
  },
  {
    name: 'me-profile-get',
    method: 'get',
    route: 'me/profile',
    tag: 'Me',
    summary: 'My profile',
    description: 'A new user gets the defaults (their name from the token).',
    access: signedIn,
    responses: { 200: { description: 'The profile', schema: ProfileSchema, headers: noStore } },
    problems: [],
  },
  {
    name: 'me-profile-put',
    method: 'put',
    route: 'me/profile',
    tag: 'Me',
    summary: 'Replace my profile',
    description: 'Contact details, notification preferences, home city, and stated tastes (recommendations).',
    access: signedIn,
    body: ProfileBodySchema,
    bodyRequired: true,
    bodyExample: { name: 'Asha', email: 'asha@example.com', locale: 'en', city: 'blr', genres: ['Drama'] },
    responses: { 200: { description: 'The profile as stored', schema: ProfileSchema } },
    problems: [],
  },
  {
    name: 'users-profile-get',
    method: 'get',
    route: 'users/{userId}/profile',
    tag: 'Me',
    summary: "A user's profile",
    description: 'The user themself or an operator; anyone else gets 404.',
    access: signedIn,
    params: UserParamsSchema,
    responses: { 200: { description: 'The profile', schema: ProfileSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
];
