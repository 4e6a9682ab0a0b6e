// The cost model of `npm run cost` (bench/cost/model.ts): counts per unit times the dated price
// table (bench/cost/prices.ts) give the $ per 1,000,000 that docs/capacity.md quotes.
import { describe, expect, it } from 'vitest';
import { costLines, total } from '../../../bench/cost/model.js';
import { PRICES, UTILIZATION } from '../../../bench/cost/prices.js';

const booking = {
  executions: 25.5,
  cpuSeconds: 0.038,
  ru: 223,
  durableActions: 15,
  storageTransactions: 16,
  serviceBusOperations: 5,
  webPubSubBillable: 0,
  emails: 0,
  sms: 0,
};

describe('cost model', () => {
  it('prices Cosmos per RU: serverless per million, autoscale per RU/s-hour at the assumed use', () => {
    const { serverless, autoscale } = costLines(booking);
    expect(serverless.perMillion).toBeCloseTo(223 * 0.25, 6);
    expect(autoscale.perMillion).toBeCloseTo(((223 * 0.012) / 100 / 3600 / UTILIZATION) * 1e6, 6);
    expect(serverless.perMillion!).toBeGreaterThan(autoscale.perMillion!);
  });

  it('adds executions, GB-s, storage and Service Bus; the scheduler has no published price', () => {
    const { common, serverless } = costLines(booking);
    const line = (name: string) => common.find((l) => l.service.startsWith(name))!;
    expect(line('Functions executions').perMillion).toBeCloseTo(25.5 * 0.4, 6);
    expect(line('Functions GB-s').perMillion).toBeCloseTo((0.038 / 0.7) * 2 * 0.000026 * 1e6, 6);
    expect(line('Durable Task Scheduler').perMillion).toBeUndefined();
    expect(total([...common, serverless])).toBeCloseTo(69.9, 0);
  });

  it('dates and sources every price', () => {
    for (const [name, p] of Object.entries(PRICES)) {
      expect(p.source, name).toMatch(/^https:\/\//);
      expect(p.read, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.value, name).toBeGreaterThan(0);
    }
  });
});
