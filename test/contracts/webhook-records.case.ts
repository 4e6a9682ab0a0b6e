// What payment webhook handling relies on from WebhookRecords (shared/booking/store.ts): an event
// is recorded once, and a successful payment waits, unsettled, for the reconciler until settled.
import { describe, expect, it } from 'vitest';
import type { WebhookRecords } from '../../shared/booking/store.js';
import { unique, webhookRecord } from './fixtures.js';

export function webhookRecordsCases(make: () => WebhookRecords): void {
  describe('WebhookRecords', () => {
    it('records an event once: a duplicate answers false and keeps the first', async () => {
      const records = make();
      const rec = webhookRecord();
      expect(await records.seen(rec.bookingId, rec.eventId)).toBeUndefined();
      expect(await records.record(rec)).toBe(true);
      expect(await make().record({ ...rec, outcome: 'ignored' })).toBe(false);
      expect(await records.seen(rec.bookingId, rec.eventId)).toEqual(rec);
    });

    it('settles a record once, and nothing for an unknown one', async () => {
      const records = make();
      const rec = webhookRecord();
      await records.record(rec);
      expect(await records.settle(rec.bookingId, rec.eventId)).toEqual({ ...rec, settled: true });
      expect(await records.settle(rec.bookingId, rec.eventId)).toEqual({ ...rec, settled: true });
      expect(await records.seen(rec.bookingId, rec.eventId)).toEqual({ ...rec, settled: true });
      expect(await records.settle(rec.bookingId, unique('evt'))).toBeUndefined();
    });

    it('lists the unsettled successful payments received before a time', async () => {
      const records = make();
      const mark = unique('cs');
      const rec = (over: Parameters<typeof webhookRecord>[0]) => webhookRecord({ sessionId: mark, ...over });
      const due = rec({ receivedAt: '2001-01-01T00:00:00.000Z' });
      const late = rec({ receivedAt: '2001-01-03T00:00:00.000Z' });
      const declined = rec({ type: 'payment.failed', receivedAt: '2001-01-01T00:00:00.000Z' });
      const settled = rec({ receivedAt: '2001-01-01T00:00:00.000Z' });
      for (const r of [due, late, declined, settled]) await records.record(r);
      await records.settle(settled.bookingId, settled.eventId);

      const found = await records.unsettled('2001-01-02T00:00:00.000Z', 100);
      expect(found.filter((r) => r.sessionId === mark)).toEqual([due]);
      expect(found.every((r) => !r.settled && r.type === 'payment.succeeded')).toBe(true);
      expect(await records.unsettled('2001-01-02T00:00:00.000Z', 1)).toHaveLength(1);
    });
  });
}
