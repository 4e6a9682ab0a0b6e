// A cancellation request recorded on the booking whose saga could not be started (the Durable engine
// unavailable through a host restart: the request answered 503) must not stay `cancelling` with no
// saga: the client's retry with the same Idempotency-Key starts it (CancelService.request). Chaos runs
// with host restarts left such a booking in `cancelling` past the end of their settle window.
import { describe, expect, it, vi } from 'vitest';
import { CancelService } from '../../../shared/booking/cancel.js';
import type { BookingDoc } from '../../../shared/booking/model.js';
import type { SagaClient } from '../../../shared/booking/ports.js';
import type { BookingStore } from '../../../shared/booking/store.js';
import { engineUnavailable } from '../../../shared/booking/ports.js';
import { priceSeats, priceTableOf, refundPolicy } from '../../../shared/domain/booking/index.js';

const NOW = Date.parse('2030-01-01T10:00:00Z');

function confirmedBooking(): BookingDoc {
  const priced = priceSeats(
    [{ seatId: 'A1', category: 'classic' }],
    priceTableOf({ classic: { minor: 20000, currency: 'INR' } }),
    { feeBp: 1000, feeMinMinor: 0, feeTaxBp: 1800, priceTaxBp: 0 },
  );
  if (!priced.ok) throw new Error(priced.detail);
  const startsAt = new Date(NOW + 72 * 3_600_000).toISOString();
  return {
    id: 'bk_1',
    userId: 'u1',
    showId: 'sh_1',
    city: 'blr',
    show: {
      title: 'T',
      venueName: 'V',
      screenName: 'S',
      startsAt,
      endsAt: startsAt,
      language: 'English',
      format: '2D',
      nonRefundable: false,
    },
    seatIds: ['A1'],
    lines: priced.breakdown.lines,
    price: priced.breakdown,
    charged: priced.breakdown.total,
    status: 'confirmed',
    attempt: 1,
    request: { fingerprint: 'f', kind: 'seats' },
    deadline: startsAt,
    cancelledSeatIds: [],
    cancellations: [],
    latePayments: [],
    history: [],
    sortKey: `${startsAt}|bk_1`,
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
  } as BookingDoc;
}

describe('a cancellation whose saga did not start', () => {
  it('is started by the retry with the same Idempotency-Key, and not started twice while it runs', async () => {
    let stored = confirmedBooking();
    const store = {
      get: async () => stored,
      mutate: async (_u: string, _id: string, fn: (d: BookingDoc) => BookingDoc | undefined) => {
        stored = fn(stored) ?? stored;
        return stored;
      },
    } as unknown as BookingStore;
    const service = new CancelService({
      store,
      catalog: { show: async () => ({ status: 'scheduled' }) },
      refunds: refundPolicy({ fullBeforeHours: 24, partialBeforeHours: 4, partialBp: 5000 }),
      clock: () => NOW,
      waitMs: 0,
      refundAttempts: 3,
      refundRetryMs: 500,
    } as unknown as ConstructorParameters<typeof CancelService>[0]);
    const start = vi.fn<SagaClient['start']>();
    const saga = { start } as unknown as SagaClient;
    const key = { value: 'cancel-key-1', fingerprint: 'fp' };

    start.mockRejectedValueOnce(engineUnavailable(new Error('extension replied 503')));
    await expect(service.request(stored, undefined, key, saga)).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(stored.status).toBe('cancelling'); // recorded before the start failed

    start.mockResolvedValueOnce('started');
    const retried = await service.request(stored, undefined, key, saga);
    expect(retried.cancellation.status).toBe('requested');
    expect(start).toHaveBeenCalledTimes(2);
    expect(start.mock.calls[1]![1]).toBe(`bk_1.${retried.cancellation.id}.1`);

    // Another retry while the saga runs asks again; the client answers 'exists' (no second instance).
    start.mockResolvedValueOnce('exists');
    await service.request(stored, undefined, key, saga);
    expect(start).toHaveBeenCalledTimes(3);
    expect(start.mock.calls.every((c) => c[3] === undefined)).toBe(true); // never `fresh`: a live one is kept
  });
});
