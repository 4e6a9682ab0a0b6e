// The waiting room's routes in the OpenAPI document (functions/waiting-room.ts; docs/architecture.md,
// Waiting room). The booking routes' side of it (the Admission-Token header, the ADMISSION_* refusals)
// is in shared/booking/openapi.ts and shared/inventory/openapi.ts.
import { anonymous, withRole, type ApiOperation } from '../http/openapi/operation.js';
import {
  QueueJoinedSchema,
  QueueStatusSchema,
  RoomBodySchema,
  RoomOverviewSchema,
  RoomsSchema,
  RoomStatsSchema,
  ShowParamsSchema,
  TicketParamsSchema,
} from './api-schemas.js';

/** The waiting room's refusals before seats are held (shared/waiting-room/service.ts requireAdmission). */
export const ADMISSION_REFUSALS = [
  'ADMISSION_REQUIRED',
  'ADMISSION_INVALID',
  'ADMISSION_EXPIRED',
  'ADMISSION_USED',
  'TICKET_LIMIT_REACHED',
] as const;

const operator = withRole('operator');
const customer = withRole('customer');
const noStore = { 'Cache-Control': 'no-store' };

export const waitingRoomOperations: ApiOperation[] = [
  {
    name: 'waiting-room-configure',
    method: 'put',
    route: 'ops/shows/{showId}/waiting-room',
    tag: 'Waiting room',
    summary: "Switch a show's waiting room on or off",
    description:
      'From `opensAt` the queue admits `admitPerMinute` buyers a minute, each for `admissionMinutes`; booking the ' +
      'show then needs an admission. `alsoShowIds` switches the same event’s other shows together.',
    access: operator,
    params: ShowParamsSchema,
    body: RoomBodySchema,
    bodyRequired: true,
    bodyExample: { opensAt: '2026-12-24T10:00:00Z', admitPerMinute: 200, admissionMinutes: 10, maxTicketsPerUser: 4 },
    responses: { 200: { description: 'The rooms as stored', schema: RoomsSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
  {
    name: 'waiting-room-stats',
    method: 'get',
    route: 'ops/shows/{showId}/waiting-room',
    tag: 'Waiting room',
    summary: "The waiting room's live figures",
    description: 'Queue length, admissions in the last minute, the effective rate and the conversion to bookings.',
    access: operator,
    params: ShowParamsSchema,
    responses: { 200: { description: 'The figures', schema: RoomStatsSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
  {
    name: 'waiting-room-overview',
    method: 'get',
    route: 'shows/{showId}/waiting-room',
    tag: 'Waiting room',
    summary: 'Whether the show sells through a waiting room',
    description: '`enabled: false`: book directly. Otherwise when it opens and how fast it admits.',
    access: anonymous(),
    params: ShowParamsSchema,
    responses: { 200: { description: 'The room', schema: RoomOverviewSchema, headers: noStore } },
    problems: [],
  },
  {
    name: 'waiting-room-join',
    method: 'post',
    route: 'shows/{showId}/queue',
    tag: 'Waiting room',
    summary: 'Join the queue',
    description:
      'One place per user and show: joining again answers the same ticket (200), or, after the admission ran out, ' +
      'a place at the back. The join only writes the place (no count or rank is computed on it), so its answer ' +
      'carries the ticket, the state and the statusUrl, and a position only when the place is already known; ' +
      'GET the statusUrl for the position and wait, then poll it every Retry-After seconds (or listen on Web ' +
      'PubSub) until admitted.',
    access: customer,
    params: ShowParamsSchema,
    responses: {
      201: {
        description: 'Joined',
        schema: QueueJoinedSchema,
        headers: { Location: 'The queue status', 'Cache-Control': 'no-store' },
      },
      200: {
        description: 'Already in the queue: the same ticket',
        schema: QueueJoinedSchema,
        headers: { Location: 'The queue status', 'Cache-Control': 'no-store' },
      },
    },
    problems: ['WAITING_ROOM_CLOSED'],
    limit: 'queue-join',
  },
  {
    name: 'waiting-room-status',
    method: 'get',
    route: 'queue/{ticket}',
    tag: 'Waiting room',
    summary: 'My place in the queue',
    description:
      'Position and expected wait while waiting (with Retry-After); once admitted, the admission token to book ' +
      'with (Admission-Token header) and when it expires.',
    access: customer,
    params: TicketParamsSchema,
    responses: {
      200: {
        description: 'The status',
        schema: QueueStatusSchema,
        headers: { 'Cache-Control': 'no-store', 'Retry-After': 'While waiting: seconds before polling again' },
      },
    },
    problems: ['QUEUE_TICKET_INVALID', 'WAITING_ROOM_CLOSED'],
  },
];
