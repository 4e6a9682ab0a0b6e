// Partner webhook endpoints and their delivery log, for the operator screen (pages/partners.tsx).
// The shapes are the API's (docs/webhooks.md; functions/partners-ops.ts), written out here because
// the client may import types only from the server's domain, booking view and error codes.
import { get, post, query, request } from './client';

export const EVENT_TYPES = [
  'booking.confirmed',
  'booking.failed',
  'booking.expired',
  'booking.cancelled',
  'refund.issued',
  'refund.failed',
] as const;

export interface Endpoint {
  id: string;
  partnerId: string;
  name: string;
  url: string;
  events: string[];
  filter?: { city?: string; venueIds?: string[]; showIds?: string[] };
  status: 'enabled' | 'disabled';
  disabledReason?: 'operator' | 'gone' | 'failing';
  health: {
    lastSuccessAt?: string;
    lastFailureAt?: string;
    failingSince?: string;
    failureStreak: number;
    lastStatusCode?: number;
  };
  secrets: { createdAt: string; expiresAt?: string }[];
  createdAt: string;
}

export interface Attempt {
  run: number;
  n: number;
  at: string;
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  response?: string;
  error?: string;
}

export interface Delivery {
  id: string;
  eventType: string;
  eventTime: string;
  bookingId: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed' | 'cancelled';
  run: number;
  attempts: Attempt[];
  nextAttemptAt?: string;
  createdAt: string;
}

export interface NewEndpoint {
  name: string;
  url: string;
  partnerId: string;
  events: string[];
  filter?: { city: string };
}

const base = '/api/ops/partners';
const at = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const listEndpoints = async (signal?: AbortSignal) => (await get<{ items: Endpoint[] }>(base, signal)).items;

export const createEndpoint = async (input: NewEndpoint) =>
  (await post<{ endpoint: Endpoint; secret: string }>(base, input)).body;

export const rotateSecret = async (id: string) =>
  (await post<{ endpoint: Endpoint; secret: string }>(`${at(id)}/rotate-secret`, undefined)).body;

export const setEnabled = async (id: string, enabled: boolean) =>
  (
    await request<{ endpoint: Endpoint }>(at(id), {
      method: 'PATCH',
      body: { status: enabled ? 'enabled' : 'disabled' },
    })
  ).body.endpoint;

export const listDeliveries = async (id: string, status: string | undefined, signal?: AbortSignal) =>
  (await get<{ items: Delivery[] }>(`${at(id)}/deliveries${query({ status, limit: 50 })}`, signal)).items;

export const retryDelivery = (id: string, deliveryId: string) =>
  post<unknown>(`${at(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, undefined);

export const replaySince = async (id: string, since: string) =>
  (await post<{ replayed: number }>(`${at(id)}/replay`, { since })).body.replayed;
