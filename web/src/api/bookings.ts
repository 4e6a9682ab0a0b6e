// Bookings (shared/booking/view.ts BookingView): start under an Idempotency-Key, read, follow,
// tickets, refund quote and cancel; operator reads and ticket verification.
import { ApiError, get, query, request } from './client';
import type { Booking, Cancellation, Money } from './types';
import { admissionHeader, forgetAdmission } from '../waiting-room/admission';

export type { Booking, Cancellation } from './types';

export interface Ticket {
  seatId: string;
  category: string;
  code: string;
  status: string;
  usedAt?: string;
}

/** GET /api/bookings/{id}/refund-quote: the policy's answer, or why cancelling is refused. */
export type RefundQuote =
  | {
      cancellable: true;
      bookingId: string;
      seatIds: string[];
      refund: Money;
      ticketValue: Money;
      feesKept: Money;
      whole: boolean;
      refundBp: number;
      remainingSeatIds: string[];
    }
  | { cancellable: false; bookingId: string; reason: string; detail: string };

/** 201 (held: the booking) or 202 (still working: {bookingId, status, statusUrl}). */
export async function startBooking(
  body: { showId: string; seatIds: string[] },
  idempotencyKey: string,
): Promise<{ status: number; bookingId: string }> {
  const res = await request<{ bookingId: string }>('/api/bookings', {
    method: 'POST',
    body,
    // A show sold through its waiting room needs the tab's admission (web/src/waiting-room/).
    headers: { 'idempotency-key': idempotencyKey, ...admissionHeader(body.showId) },
  }).catch((err: unknown) => {
    // An admission used by another booking (a duplicated tab) or run out is no good to this tab any
    // more: forgotten, the seat map's gate offers the queue again.
    if (err instanceof ApiError && (err.code === 'ADMISSION_USED' || err.code === 'ADMISSION_EXPIRED'))
      forgetAdmission(body.showId);
    throw err;
  });
  return { status: res.status, bookingId: res.body.bookingId };
}

export const booking = (id: string, signal?: AbortSignal) =>
  get<Booking>(`/api/bookings/${encodeURIComponent(id)}`, signal);

export async function tickets(id: string): Promise<Ticket[]> {
  return (await get<{ tickets: Ticket[] }>(`/api/bookings/${encodeURIComponent(id)}/tickets`)).tickets;
}

export async function myBookings(when: 'upcoming' | 'past'): Promise<Booking[]> {
  const all: Booking[] = [];
  let continuation: string | undefined;
  for (let i = 0; i < 20; i++) {
    const body = await get<{ items: Booking[]; continuation?: string }>(
      `/api/me/bookings${query({ when, limit: 50, continuation })}`,
    );
    all.push(...body.items);
    continuation = body.continuation;
    if (!continuation) break;
  }
  return all;
}

export const refundQuote = (id: string, seatIds: string[]) =>
  get<RefundQuote>(`/api/bookings/${encodeURIComponent(id)}/refund-quote${query({ seatIds: seatIds.join(',') })}`);

export async function cancel(id: string, seatIds: string[], idempotencyKey: string): Promise<Booking> {
  const res = await request<{ booking: Booking; cancellation: Cancellation }>(
    `/api/bookings/${encodeURIComponent(id)}/cancel`,
    { method: 'POST', body: { seatIds }, headers: { 'idempotency-key': idempotencyKey } },
  );
  return res.body.booking;
}

export interface Admission {
  admitted: true;
  showId: string;
  bookingId: string;
  seatId: string;
  category: string;
  usedAt: string;
}

/** 200 admitted; 409 TICKET_ALREADY_USED; 422 for a forged code or one for another show. */
export const verifyTicket = async (showId: string, code: string) =>
  (await request<Admission>('/api/tickets/verify', { method: 'POST', body: { showId, code } })).body;

export async function opsBookings(status: string): Promise<Booking[]> {
  const body = await get<{ items: Booking[] }>(`/api/ops/bookings${query({ status })}`);
  return body.items;
}

/**
 * POST /api/bookings/{id}/release: let the held seats go before paying (owner only, idempotent).
 * 200 once the saga released them, 202 while it still works on it (the booking as it is then).
 */
export async function releaseSeats(id: string): Promise<Booking> {
  return (await request<Booking>(`/api/bookings/${encodeURIComponent(id)}/release`, { method: 'POST' })).body;
}

/** POST /api/bookings/{id}/retry-payment: a new payment try on the same seats after a decline (owner only, idempotent). */
export async function retryPayment(id: string): Promise<Booking> {
  return (await request<Booking>(`/api/bookings/${encodeURIComponent(id)}/retry-payment`, { method: 'POST' })).body;
}

/** POST /api/ops/bookings/{id}/retry-refund (operator): 200 refunded, 202 while it is tried again. */
export async function retryRefund(id: string): Promise<{ booking: Booking }> {
  return (
    await request<{ booking: Booking }>(`/api/ops/bookings/${encodeURIComponent(id)}/retry-refund`, { method: 'POST' })
  ).body;
}
