// The change-feed reconstruction: which documents a poll delivers, and what the lease keeps.
import { describe, expect, it } from 'vitest';
import {
  advance,
  initialWatermark,
  pendingChanges,
  type FeedDocument,
} from '../../../../local/change-feed/change-tracker.js';
import { retryDelayMs } from '../../../../local/core/retry-policy.js';
import { parseConnectionString } from '../../../../local/change-feed/connection.js';

const doc = (id: string, ts: number, etag = `${id}@${ts}`): FeedDocument => ({
  id,
  _rid: `rid-${id}`,
  _ts: ts,
  _etag: etag,
});

describe('change tracking by _ts and _etag', () => {
  it('delivers everything from the beginning, oldest first', () => {
    const mark = initialWatermark({ fromBeginning: true }, 100, []);
    expect(pendingChanges(mark, [doc('b', 12), doc('a', 10), doc('c', 12)]).map((d) => d.id)).toEqual(['a', 'b', 'c']);
  });

  it('tells apart two writes within the same second by their etag', () => {
    let mark = initialWatermark({ fromBeginning: true }, 100, []);
    mark = advance(mark, [doc('a', 10, 'e1')]);
    expect(pendingChanges(mark, [doc('a', 10, 'e1')])).toEqual([]);
    expect(pendingChanges(mark, [doc('a', 10, 'e2')]).map((d) => d._etag)).toEqual(['e2']);
  });

  it('delivers the rest of a second after a capped batch, and nothing twice', () => {
    let mark = initialWatermark({ fromBeginning: true }, 100, []);
    const all = [doc('a', 10), doc('b', 10), doc('c', 10), doc('d', 11)];
    const first = pendingChanges(mark, all).slice(0, 2);
    mark = advance(mark, first);
    const second = pendingChanges(
      mark,
      all.filter((d) => d._ts >= mark.since),
    ).slice(0, 2);
    mark = advance(mark, second);
    const third = pendingChanges(
      mark,
      all.filter((d) => d._ts >= mark.since),
    );
    expect([...first, ...second, ...third].map((d) => d.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(mark).toEqual({ since: 11, seen: { 'rid-d': 'd@11' } });
  });

  it('starting from now treats what exists as already seen', () => {
    const mark = initialWatermark({ fromBeginning: false }, 50, [doc('old', 50), doc('older', 40)]);
    expect(pendingChanges(mark, [doc('old', 50), doc('new', 50)]).map((d) => d.id)).toEqual(['new']);
  });

  it('starting from a time delivers changes at or after it', () => {
    const mark = initialWatermark({ fromBeginning: false, fromTime: '1970-01-01T00:00:20Z' }, 50, []);
    expect(pendingChanges(mark, [doc('x', 20), doc('y', 30)]).map((d) => d.id)).toEqual(['x', 'y']);
  });
});

describe('retry delays', () => {
  it('waits the fixed delay each time', () => {
    const p = { strategy: 'fixedDelay' as const, maxRetryCount: 3, delayInterval: { seconds: 2 } };
    expect([1, 2, 3].map((n) => retryDelayMs(p, n))).toEqual([2000, 2000, 2000]);
  });

  it('doubles from the minimum up to the maximum', () => {
    const p = {
      strategy: 'exponentialBackoff' as const,
      maxRetryCount: -1,
      minimumInterval: { seconds: 1 },
      maximumInterval: { seconds: 5 },
    };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(p, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('Cosmos connection strings', () => {
  it('reads AccountEndpoint and AccountKey', () => {
    expect(parseConnectionString('AccountEndpoint=http://127.0.0.1:8081/;AccountKey=abc==;')).toEqual({
      endpoint: 'http://127.0.0.1:8081/',
      key: 'abc==',
    });
    expect(parseConnectionString('nonsense')).toBeUndefined();
  });
});
