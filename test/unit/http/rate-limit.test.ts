// The edge's rate limits (shared/http/rate-limit.ts) on real HttpRequests: a bucket per user, per
// client address without a valid token, a stricter one for starting bookings; a refusal is
// RATE_LIMITED with a Retry-After, and one caller's refusals never touch another's bucket.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors.js';
import { clientIp, RateLimits } from '../../../shared/http/rate-limit.js';

const TOKENS: Record<string, string> = { 'Bearer good-a': 'user-a', 'Bearer good-b': 'user-b' };

function limits(overrides: Partial<ConstructorParameters<typeof RateLimits>[0]> = {}) {
  return new RateLimits(
    {
      userPerSecond: 5,
      anonymousPerSecond: 3,
      bookingsPerMinute: 2,
      queueJoinsPerIpPerMinute: 2,
      proxyHops: 0,
      ...overrides,
    },
    // A token this instance verified answers synchronously; a new one after its verification.
    (h) => (h.endsWith('-a') ? TOKENS[h] : Promise.resolve(TOKENS[h])),
  );
}

const request = (headers: Record<string, string> = {}) =>
  new HttpRequest({ url: 'http://localhost/api/x', method: 'GET', headers });

async function admitted(l: RateLimits, req: HttpRequest, times: number, route?: 'bookings' | 'queue-join') {
  let ok = 0;
  let refusal: UserError | undefined;
  for (let i = 0; i < times; i++) {
    try {
      await l.admit(req, route);
      ok++;
    } catch (err) {
      refusal = err as UserError;
    }
  }
  return { ok, refusal };
}

describe('the edge rate limits', () => {
  it('limit queue joins per client address, whichever accounts it signs in as', async () => {
    const l = limits();
    const ip = { 'x-forwarded-for': '198.51.100.9' };
    const a = await admitted(l, request({ ...ip, authorization: 'Bearer good-a' }), 2, 'queue-join');
    const b = await admitted(l, request({ ...ip, authorization: 'Bearer good-b' }), 2, 'queue-join');
    expect(a.ok + b.ok).toBe(2);
    expect(b.refusal?.code).toBe('RATE_LIMITED');
    // Another address, and other routes from the same one, are not touched.
    expect((await admitted(l, request({ 'x-forwarded-for': '198.51.100.10' }), 2, 'queue-join')).ok).toBe(2);
    expect((await admitted(l, request({ ...ip, authorization: 'Bearer good-b' }), 2)).ok).toBe(2);
  });

  it("admit a user's rate plus one second's burst, then refuse with RATE_LIMITED and a Retry-After; other users go on", async () => {
    const l = limits();
    const a = await admitted(l, request({ authorization: 'Bearer good-a' }), 15);
    expect(a.ok).toBe(10);
    expect(a.refusal?.code).toBe('RATE_LIMITED');
    expect(a.refusal?.retryAfter).toBeGreaterThanOrEqual(1);
    const b = await admitted(l, request({ authorization: 'Bearer good-b' }), 10);
    expect(b.ok).toBe(10);
  });

  it('count callers without a valid token per client address, forged tokens included', async () => {
    const l = limits();
    const one = await admitted(l, request({ 'x-forwarded-for': '203.0.113.7' }), 4);
    const forged = await admitted(l, request({ 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer forged' }), 4);
    expect(one.ok + forged.ok).toBe(6);
    expect(forged.refusal?.code).toBe('RATE_LIMITED');
    expect((await admitted(l, request({ 'x-forwarded-for': '203.0.113.8' }), 6)).ok).toBe(6);
    // The same address still has no say over a signed-in user's bucket.
    expect(
      (await admitted(l, request({ 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer good-a' }), 5)).ok,
    ).toBe(5);
  });

  it('limit starting bookings per user more strictly than other calls', async () => {
    const l = limits();
    const req = request({ authorization: 'Bearer good-a' });
    const bookings = await admitted(l, req, 3, 'bookings');
    expect(bookings.ok).toBe(2);
    expect(bookings.refusal?.detail).toMatch(/booking/);
    expect((await admitted(l, req, 3)).ok).toBe(3);
    expect((await admitted(l, request({ authorization: 'Bearer good-b' }), 2, 'bookings')).ok).toBe(2);
  });
});

describe('the client address', () => {
  it('is the X-Forwarded-For entry the given number of proxies from the right, without its port', () => {
    const req = request({ 'x-forwarded-for': '10.0.0.1, 198.51.100.4:5123, 192.0.2.1' });
    expect(clientIp(req, 0)).toBe('192.0.2.1');
    expect(clientIp(req, 1)).toBe('198.51.100.4');
    expect(clientIp(req, 9)).toBe('10.0.0.1');
    expect(clientIp(request({ 'x-forwarded-for': '[2001:db8::1]:443' }), 0)).toBe('2001:db8::1');
    expect(clientIp(request({ 'x-forwarded-for': '2001:db8::2' }), 0)).toBe('2001:db8::2');
    expect(clientIp(request(), 0)).toBe('unknown');
  });
});
