// The waiting room's HTTP contract (functions/waiting-room.ts, and the Admission-Token header of
// functions/bookings.ts and functions/show-seats.ts) as zod schemas: the requests the handlers
// validate and the answers they give. shared/waiting-room/openapi.ts describes the routes with them.
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { Instant, type Assert, type Describes } from '../http/openapi/common.js';
import type { RoomDoc } from './ports.js';
import type { QueueStatus, WaitingRoomService } from './service.js';

export const ShowParamsSchema = z.object({ showId: documentId });
export const TicketParamsSchema = z.object({
  ticket: z
    .string()
    .min(20)
    .max(2000)
    .regex(/^[A-Za-z0-9_.-]+$/, 'a queue ticket')
    .meta({ description: 'The queue ticket POST /api/shows/{showId}/queue gave' }),
});
export const RoomBodySchema = z.strictObject({
  opensAt: Instant.meta({ description: 'When admissions start; who joins before is placed by lottery' }),
  admitPerMinute: z.number().int().min(1).max(100_000),
  admissionMinutes: z.number().int().min(1).max(120).meta({ description: 'How long an admission lasts' }),
  maxTicketsPerUser: z.number().int().min(1).max(50).optional(),
  enabled: z.boolean().optional().meta({ description: '`false` switches the room off; on by default' }),
  alsoShowIds: z
    .array(documentId)
    .max(100)
    .optional()
    .meta({ description: "The event's other shows, switched the same way (the ticket cap counts across them)" }),
});
/** The Admission-Token header (shared/http/admission.ts admissionTokenOf() checks it with this). */
export const AdmissionTokenSchema = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  .meta({ description: 'While the show sells through its waiting room: the admission token of your queue status' });
export const AdmissionHeadersSchema = z.object({ 'Admission-Token': AdmissionTokenSchema.optional() });

// --- Answers
const RoomSchema = z
  .object({
    showId: z.string(),
    enabled: z.boolean(),
    opensAt: Instant,
    admitPerMinute: z.int(),
    admissionMinutes: z.int(),
    maxTicketsPerUser: z.int().optional(),
    groupShowIds: z.array(z.string()).meta({ description: 'The shows switched together' }),
    updatedAt: Instant,
    updatedBy: z.string(),
  })
  .meta({ id: 'WaitingRoom' });
export const RoomsSchema = z.object({ rooms: z.array(RoomSchema) });
export const RoomOverviewSchema = z
  .union([
    z.object({ showId: z.string(), enabled: z.literal(false) }),
    z.object({
      showId: z.string(),
      enabled: z.literal(true),
      opensAt: Instant,
      open: z.boolean(),
      admitPerMinute: z.int(),
      admissionMinutes: z.int(),
      maxTicketsPerUser: z.int().optional(),
      admitted: z.int(),
    }),
  ])
  .meta({ id: 'WaitingRoomOverview' });
export const RoomStatsSchema = z.object({
  showId: z.string(),
  enabled: z.boolean(),
  opensAt: Instant,
  queued: z.int(),
  waiting: z.int(),
  admitted: z.int(),
  admittedLastMinute: z.int(),
  admitPerMinute: z.int(),
  effectivePerMinute: z.number().meta({ description: 'The rate after the slow-down under seat contention' }),
  factor: z.number(),
  slowdowns: z.int().meta({ description: 'Times the admitter slowed down (conflicts or a busy store)' }),
  bookingAttempts: z.int().meta({ description: 'Booking attempts on the show, every instance' }),
  bookingConflicts: z.int().meta({ description: 'Of which refused: seats already taken' }),
  storeBusy: z.int().meta({ description: 'Of which the store was busy or throttling' }),
  instances: z.int().meta({ description: 'App instances that reported booking outcomes' }),
  bookingsWithAdmission: z.int().meta({ description: 'Holds made with an admission, every instance' }),
  conversion: z.number(),
});
export const QueueStatusSchema = z
  .object({
    showId: z.string(),
    state: z.enum(['waiting', 'admitted', 'expired']),
    opensAt: Instant,
    position: z.int().min(1).optional().meta({ description: '1 = next in; absent before opening' }),
    ahead: z.int().optional(),
    etaSeconds: z.int().optional(),
    admitPerMinute: z.int(),
    admitted: z.int(),
    rank: z.int().optional(),
    admissionToken: z.string().optional().meta({ description: 'Once admitted: send it as Admission-Token' }),
    admissionExpiresAt: Instant.optional(),
  })
  .meta({ id: 'QueueStatus' });
export const QueueJoinedSchema = z
  .object({ ticket: z.string(), statusUrl: z.string(), ...QueueStatusSchema.shape })
  .meta({ id: 'QueueJoined' });

type Stats = Awaited<ReturnType<WaitingRoomService['stats']>>;
type Overview = Awaited<ReturnType<WaitingRoomService['overview']>>;
export type WaitingRoomSchemasDescribeTheirTypes = [
  Assert<Describes<Omit<RoomDoc, 'id' | 'kind'>, typeof RoomSchema>>,
  Assert<Describes<Overview, typeof RoomOverviewSchema>>,
  Assert<Describes<Stats, typeof RoomStatsSchema>>,
  Assert<Describes<QueueStatus, typeof QueueStatusSchema>>,
];
