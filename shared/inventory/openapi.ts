// The seat routes in the OpenAPI document (functions/show-seats.ts).
import { anonymous, optionalUser, withRole, type ApiOperation } from '../http/openapi/operation.js';
import {
  AvailabilitySchema,
  BestAvailableBodySchema,
  BestAvailableSchema,
  QuoteBodySchema,
  QuoteSchema,
  SeatBlockBodySchema,
  SeatBlockResultSchema,
  SeatsParamsSchema,
} from './api-schemas.js';
import { ADMISSION_REFUSALS } from '../waiting-room/openapi.js';
import { AdmissionHeadersSchema } from '../waiting-room/api-schemas.js';

export const seatOperations: ApiOperation[] = [
  {
    name: 'show-seats',
    method: 'get',
    route: 'shows/{showId}/seats',
    tag: 'Seats',
    summary: "A show's seat availability",
    description:
      'At most a second old; the ETag follows the seats, so If-None-Match answers 304 while nothing changed. ' +
      'Live changes arrive over Web PubSub (realtime-negotiate, docs/realtime.md).',
    access: anonymous(),
    params: SeatsParamsSchema,
    responses: {
      200: {
        description: 'The availability',
        schema: AvailabilitySchema,
        headers: { ETag: 'Version of the seats', 'Cache-Control': 'public, max-age=1' },
      },
      304: { description: 'Not modified: the If-None-Match ETag is current' },
    },
    problems: ['NOT_FOUND'],
    publicMaxAge: 1,
  },
  {
    name: 'show-best-available',
    method: 'post',
    route: 'shows/{showId}/best-available',
    tag: 'Seats',
    summary: 'Suggest the best free seats',
    description:
      'Seats together where possible, nearest the sweet spot of the hall; priced. Nothing is held. While the show ' +
      'sells through its waiting room, for a signed-in customer with an admission (Admission-Token) only.',
    access: optionalUser,
    params: SeatsParamsSchema,
    headers: AdmissionHeadersSchema,
    body: BestAvailableBodySchema,
    bodyRequired: true,
    bodyExample: { count: 2, category: 'regular' },
    responses: { 200: { description: 'The suggested seats with their prices', schema: BestAvailableSchema } },
    problems: ['NOT_FOUND', 'NOT_ENOUGH_SEATS', 'FORBIDDEN', ...ADMISSION_REFUSALS],
  },
  {
    name: 'show-quote',
    method: 'post',
    route: 'shows/{showId}/quote',
    tag: 'Seats',
    summary: 'Check a selection of seats and price it',
    access: anonymous(),
    params: SeatsParamsSchema,
    body: QuoteBodySchema,
    bodyRequired: true,
    responses: { 200: { description: 'The seats are free; their prices', schema: QuoteSchema } },
    problems: ['NOT_FOUND', 'SEATS_UNAVAILABLE', 'SHOW_NOT_ON_SALE'],
  },
  {
    name: 'show-seat-blocks',
    method: 'post',
    route: 'shows/{showId}/seat-blocks',
    tag: 'Seats',
    summary: 'Block or unblock seats',
    description: 'Operators take seats out of sale (house seats, broken seats) and give them back.',
    access: withRole('operator'),
    params: SeatsParamsSchema,
    body: SeatBlockBodySchema,
    bodyRequired: true,
    responses: { 200: { description: 'The seats changed', schema: SeatBlockResultSchema } },
    problems: ['NOT_FOUND', 'SEATS_UNAVAILABLE', 'HOLD_NOT_FOUND', 'HOLD_EXPIRED', 'SHOW_NOT_ON_SALE'],
  },
];
