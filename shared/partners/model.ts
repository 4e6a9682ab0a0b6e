// Partner webhook endpoints and their deliveries as stored (docs/architecture.md, Partner webhooks),
// and the operator's input, validated once at the edge. An endpoint never stores a signing secret:
// it names its secrets, whose values live in the signing-secret store (Key Vault in Azure).
import { z } from 'zod';
import type { EndpointFilter } from '../domain/partner-webhooks/event-filter.js';
import type { EndpointHealth } from '../domain/partner-webhooks/endpoint-health.js';
import { PartnerEventTypeSchema, type PartnerEventType } from './payloads.js';

export type EndpointStatus = 'enabled' | 'disabled';
/** Why an endpoint stopped: an operator, the receiver answered 410 Gone, or it failed for too long. */
export type DisabledReason = 'operator' | 'gone' | 'failing';

export interface SecretRef {
  /** The name in the signing-secret store. */
  name: string;
  createdAt: string;
  /** Set when a newer secret replaced it: it still signs until then (the rotation overlap). */
  expiresAt?: string;
}

export interface PartnerEndpoint {
  id: string;
  /** The partner principal (token subject) that may read this endpoint's deliveries. */
  partnerId: string;
  name: string;
  url: string;
  events: PartnerEventType[];
  filter?: EndpointFilter;
  status: EndpointStatus;
  disabledReason?: DisabledReason;
  disabledAt?: string;
  /** Newest first. */
  secrets: SecretRef[];
  health: EndpointHealth;
  /** The operator who registered it: told (in-app, email) when it is disabled for failing. */
  createdBy?: string;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';

export interface Attempt {
  /** The run (1; each operator retry or replay starts another) and the attempt within it. */
  run: number;
  n: number;
  at: string;
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  /** The first 1 KB of the response body. */
  response?: string;
  error?: string;
}

export interface Delivery {
  /** Also the `webhook-id` header: one per (event, endpoint), the same on every attempt. */
  id: string;
  endpointId: string;
  partnerId: string;
  eventId: string;
  eventType: PartnerEventType;
  eventTime: string;
  bookingId: string;
  showId: string;
  /** The exact body sent (and signed) on every attempt. */
  body: string;
  status: DeliveryStatus;
  run: number;
  attempts: Attempt[];
  nextAttemptAt?: string;
  /** When a dispatcher took the current run on: a copy of the event arriving meanwhile leaves it alone. */
  claimedAt: string;
  createdAt: string;
  updatedAt: string;
}

export const MAX_NAME_LENGTH = 100;

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, '1–100 letters, digits or . _ : -');

export const EndpointFilterSchema = z.strictObject({
  city: id.optional(),
  venueIds: z.array(id).max(100).optional(),
  showIds: z.array(id).max(100).optional(),
});

export const EndpointInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
  url: z.string().min(1).max(2048),
  partnerId: id,
  events: z
    .array(PartnerEventTypeSchema)
    .min(1)
    .refine((e) => new Set(e).size === e.length, 'an event type is listed twice'),
  filter: EndpointFilterSchema.optional(),
});
export type EndpointInput = z.infer<typeof EndpointInputSchema>;

export const EndpointPatchSchema = EndpointInputSchema.omit({ partnerId: true })
  .partial()
  .extend({ status: z.enum(['enabled', 'disabled']).optional(), filter: EndpointFilterSchema.nullable().optional() });
export type EndpointPatch = z.infer<typeof EndpointPatchSchema>;

/** An endpoint as the API shows it: everything but the secrets' names (their dates stay). */
export function endpointView(e: PartnerEndpoint) {
  const { secrets, ...rest } = e;
  return { ...rest, secrets: secrets.map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt })) };
}

/** A delivery as the API shows it: the payload parsed back, for reading. */
export function deliveryView(d: Delivery) {
  const { body, claimedAt: _claimed, ...rest } = d;
  return { ...rest, payload: JSON.parse(body) as unknown };
}
