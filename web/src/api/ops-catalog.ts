// The operator's catalog writes (functions/shows.ts, functions/venues.ts) and a show's
// cancellation with its refunds' progress (functions/ops-shows.ts). Loaded with the operator's
// catalog screen only (web/src/pages/ops-catalog.tsx), never on a customer's first load.
import { get, request } from './client';
import type { Format, Money, Show, Venue } from './types';

export interface ShowInput {
  movieId: string;
  venueId: string;
  screenId: string;
  startsAt: string;
  language: string;
  format: Format;
  prices: Record<string, Money>;
  nonRefundable?: boolean;
}

export const createShow = async (input: ShowInput) =>
  (await request<Show>('/api/shows', { method: 'POST', body: input })).body;

export const updateShow = async (
  id: string,
  patch: Partial<Pick<ShowInput, 'startsAt' | 'language' | 'format' | 'prices' | 'nonRefundable'>>,
) => (await request<Show>(`/api/shows/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch })).body;

export interface ScreenInput {
  id: string;
  name: string;
  formats: Format[];
  categories: { id: string; name: string }[];
  /** Rows front first; `indent` empty cells before the first seat; blocks of seats with aisles between. */
  rows: { label: string; category: string; blocks: number[]; indent?: number; wheelchairPairs?: number }[];
  /** Empty cells between two blocks (the API's default: 1). */
  aisleWidth?: number;
}

export const createVenue = async (input: {
  city: string;
  name: string;
  address: string;
  kind: 'multiplex';
  screens: ScreenInput[];
}) => (await request<Venue>('/api/venues', { method: 'POST', body: input })).body;

/** PATCH /api/venues/{id}: screens sent are added or get a new layout version; others stay. */
export const updateVenue = async (id: string, patch: { name?: string; address?: string; screens?: ScreenInput[] }) =>
  (await request<Venue>(`/api/venues/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch })).body;

export const cancelShowWithBookings = async (id: string, reason: string) =>
  (
    await request<{ progress: string }>(`/api/ops/shows/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      body: { reason },
    })
  ).body;

/** GET /api/ops/shows/{id}/cancellation (shared/booking/api-schemas.ts, ShowCancelProgress). */
export interface CancelProgress {
  status: 'scheduled' | 'cancelled';
  bookings: {
    total: number;
    refunded: number;
    refunding: number;
    failed: number;
    inFlight: number;
    nothingOwed: number;
    notStarted: number;
  };
  refundedAmount?: Money;
  fanout?: { state: string };
}

export const cancelProgress = (id: string) =>
  get<CancelProgress>(`/api/ops/shows/${encodeURIComponent(id)}/cancellation`);
