// The realtime route in the OpenAPI document (functions/realtime-negotiate.ts, docs/realtime.md).
import { optionalUser, type ApiOperation } from '../http/openapi/operation.js';
import { NegotiatedSchema, NegotiateQuerySchema } from './api-schemas.js';

export const realtimeOperations: ApiOperation[] = [
  {
    name: 'realtime-negotiate',
    method: 'get',
    route: 'realtime/negotiate',
    tag: 'Seats',
    summary: "A Web PubSub URL for a show's live seat changes",
    description:
      "Pre-joined to the show's group and allowed no other. With a bearer token the connection also gets the " +
      "caller's own channel (their holds, their booking's status).",
    access: optionalUser,
    query: NegotiateQuerySchema,
    responses: {
      200: { description: 'The client URL', schema: NegotiatedSchema, headers: { 'Cache-Control': 'no-store' } },
    },
    problems: ['NOT_FOUND', 'REALTIME_UNAVAILABLE'],
  },
];
