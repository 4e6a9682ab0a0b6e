// The HTTP path builds HttpRequest and InvocationContext with the app's own @azure/functions classes
// (local/core/app-library.ts; here the app is the repository, so the classes are this copy's), a
// bodyless request with a lazy native request, and splits the request target without a URL parser
// when it can (local/core/http-server.ts). These cases check that a function cannot tell: the same
// class, own properties, inspection and answers as objects the library builds from a full init, and
// the same path and query as `new URL` for any target.
import type { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import { HttpRequest, InvocationContext } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../../../../local/core/http-server.js';
import { Invoker, splitBindings } from '../../../../local/core/invoke.js';
import { Logger } from '../../../../local/core/log.js';
import { Registry } from '../../../../local/core/registry.js';
import { toHttpRequest } from '../../../../local/http/request.js';

const ORIGIN = 'http://127.0.0.1:7071';

function incoming(url: string, rawHeaders: string[], method = 'GET'): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  return { method, url, rawHeaders, headers, socket: { remoteAddress: '10.1.2.3' } } as unknown as IncomingMessage;
}

/** A Headers' entries (the compiler's lib has no iterable Headers). */
const entries = (h: Headers): [string, string][] => {
  const out: [string, string][] = [];
  h.forEach((v, k) => out.push([k, v]));
  return out;
};

describe('HttpRequest built by the host for a bodyless request', () => {
  const principal = Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'name', val: 'Bo' }], name_typ: 'name', role_typ: 'roles' }),
  ).toString('base64');
  const raw = [
    'Host',
    '127.0.0.1:7071',
    'Accept',
    'a/b',
    'accept',
    'c/d',
    'Cookie',
    'a=1',
    'Cookie',
    'b=2',
    'X-MS-CLIENT-PRINCIPAL',
    principal,
    'x-ms-client-principal-idp',
    'aad',
    'x-ms-client-principal-id',
    'u1',
    'x-ms-client-principal-name',
    'Bo',
  ];
  const target = { search: '?a=1&a=2&b=%20x&c' };
  const params = { showId: 'shw-1' };
  const local = () =>
    toHttpRequest(incoming('/api/shows/shw-1/seats?a=1&a=2&b=%20x&c', raw), target, ORIGIN, {
      ...params,
    }) as HttpRequest;
  const library = () => {
    const r = local();
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => (headers[k] = v));
    return new HttpRequest({
      method: 'GET',
      url: r.url,
      headers,
      query: { a: '1,2', b: ' x', c: '' },
      params: { ...params },
    });
  };

  it('is an HttpRequest with the same own properties, constructor and inspection', () => {
    const l = local();
    const r = library();
    expect(l).toBeInstanceOf(HttpRequest);
    expect(l.constructor).toBe(HttpRequest);
    expect(Object.keys(l)).toEqual(Object.keys(r));
    expect(inspect(l, { depth: 4 })).toBe(inspect(r, { depth: 4 }));
    expect(JSON.stringify(l)).toBe(JSON.stringify(r));
    expect({ ...l }).toEqual({ ...r });
  });

  it('answers every member the way the library does', async () => {
    const l = local();
    const r = library();
    expect(l.url).toBe(`${ORIGIN}/api/shows/shw-1/seats?a=1&a=2&b=%20x&c`);
    expect(l.method).toBe(r.method);
    expect(l.headers).toBeInstanceOf(Headers);
    expect(Object.prototype.toString.call(l.headers)).toBe('[object Headers]');
    expect(entries(l.headers)).toEqual(entries(r.headers));
    expect(entries(new Headers(l.headers))).toEqual(entries(r.headers));
    const seen: [string, string, unknown][] = [];
    local().headers.forEach(function (this: unknown, value, key, parent) {
      seen.push([key, value, parent]);
    });
    expect(seen.map(([k, v]) => [k, v])).toEqual(entries(r.headers));
    expect(l.headers.has('COOKIE')).toBe(r.headers.has('COOKIE'));
    expect(() => l.headers.get('bad name')).toThrow(TypeError);
    expect(l.headers.get('cookie')).toBe('a=1; b=2');
    expect(l.headers.get('x-forwarded-for')).toBe('10.1.2.3');
    expect([...l.query]).toEqual([...r.query]);
    expect(l.params).toEqual(r.params);
    expect(l.user).toEqual(r.user);
    expect(l.user).not.toBeNull();
    expect(l.body).toBe(r.body);
    expect(l.bodyUsed).toBe(false);
    expect(await l.text()).toBe(await r.text());
    expect(l.bodyUsed).toBe(r.bodyUsed);
    const c = l.clone();
    expect(c).toBeInstanceOf(HttpRequest);
    expect([c.url, c.method, entries(c.headers), [...c.query], c.params]).toEqual([
      l.url,
      l.method,
      entries(l.headers),
      [...l.query],
      l.params,
    ]);
    await expect(local().json()).rejects.toThrow();
    expect(await local().arrayBuffer()).toEqual(await library().arrayBuffer());
  });

  it('answers headers.get exactly as a Headers holding the same header record would, for any raw headers', () => {
    const text = (chars: string, max: number) =>
      fc.array(fc.constantFrom(...chars.split('')), { maxLength: max }).map((a) => a.join(''));
    const name = fc.oneof(
      fc.constantFrom('Host', 'Cookie', 'If-None-Match', 'X-Forwarded-For', 'x-forwarded-host'),
      text('aZ-_!~ :\t', 6),
    );
    const value = fc.oneof(fc.constantFrom('"e1"', 'a=1', 'h:81', ''), text('a1 \t,;"\u0000\u00e9', 8));
    const outcome = (f: () => string | null) => {
      try {
        return f();
      } catch (err) {
        return `throws ${(err as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 5 }), name, (pairs, asked) => {
        const raw = pairs.flat();
        const local = toHttpRequest(incoming('/api/x', raw), { search: '' }, ORIGIN, {}) as HttpRequest;
        // The reference: the record the host builds (joined, with X-Forwarded-*), appended to a Headers.
        const record: Record<string, string> = {};
        for (const [n, v] of pairs) {
          const k = n.toLowerCase();
          record[k] = record[k] === undefined ? v : record[k] + (k === 'cookie' ? '; ' : ', ') + v;
        }
        record['x-forwarded-for'] = record['x-forwarded-for'] ? `${record['x-forwarded-for']}, 10.1.2.3` : '10.1.2.3';
        record['x-forwarded-proto'] ??= 'http';
        if (record.host) record['x-forwarded-host'] ??= record.host;
        const reference = () => {
          const h = new Headers();
          for (const k of Object.keys(record)) h.append(k, record[k]!);
          return h.get(asked);
        };
        expect(outcome(() => local.headers.get(asked))).toEqual(outcome(reference));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives empty params and query fresh objects, as the library does', () => {
    const l = toHttpRequest(incoming('/api/ping', ['Host', 'h']), { search: '' }, ORIGIN, {}) as HttpRequest;
    expect(l.params).toEqual({});
    expect([...l.query]).toEqual([]);
    expect(l.user).toBeNull();
  });
});

describe('InvocationContext built by the invoker', () => {
  const registry = new Registry();
  registry.register(
    {
      name: 'f',
      bindings: {
        req: { type: 'httpTrigger', direction: 'in', name: 'req' },
        $return: { type: 'http', direction: 'out', name: '$return' },
      },
    },
    (_t, c) => c,
  );
  const logged: unknown[][] = [];
  const log = new (class extends Logger {
    override fromFunction(...args: [string, string, string, unknown[]]): void {
      logged.push(args);
    }
  })();
  const invoker = new Invoker(registry, log);
  const fn = registry.get('f')!;

  it('is an InvocationContext with the same own properties, constructor and inspection', () => {
    const l = invoker.call(fn, 'trigger', {
      triggerMetadata: { a: 1 },
      retryContext: { retryCount: 1, maxRetryCount: 3 },
    }) as InvocationContext;
    const r = new InvocationContext({
      invocationId: l.invocationId,
      functionName: 'f',
      triggerMetadata: { a: 1 },
      retryContext: { retryCount: 1, maxRetryCount: 3 },
      options: splitBindings(fn).contextOptions as never,
      logHandler: () => undefined,
    });
    expect(l).toBeInstanceOf(InvocationContext);
    expect(l.constructor).toBe(InvocationContext);
    expect(Object.keys(l)).toEqual(Object.keys(r));
    expect(inspect(l, { depth: 5 })).toBe(inspect(r, { depth: 5 }));
    expect(JSON.stringify(l)).toBe(JSON.stringify(r));
    expect(l.extraInputs.constructor).toBe(r.extraInputs.constructor);
    expect(l.extraOutputs.constructor).toBe(r.extraOutputs.constructor);
    expect(l.invocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('keeps extra inputs and outputs by name or binding, and logs with the function and invocation', () => {
    const l = invoker.call(fn, 'trigger') as InvocationContext;
    l.extraInputs.set('in1', 1);
    l.extraOutputs.set({ name: 'out1', type: 'queue' } as never, 2);
    expect(l.extraInputs.get({ name: 'in1' } as never)).toBe(1);
    expect(l.extraOutputs.get('out1')).toBe(2);
    expect(l.extraInputs.get('out1')).toBeUndefined();
    logged.length = 0;
    l.log('a', 1);
    l.trace('t');
    l.debug('d');
    l.info('i');
    l.warn('w');
    l.error('e');
    expect(logged).toEqual([
      ['f', l.invocationId, 'information', ['a', 1]],
      ['f', l.invocationId, 'trace', ['t']],
      ['f', l.invocationId, 'debug', ['d']],
      ['f', l.invocationId, 'information', ['i']],
      ['f', l.invocationId, 'warning', ['w']],
      ['f', l.invocationId, 'error', ['e']],
    ]);
  });

  it('gives each invocation its own id (not a shared prefix)', () => {
    const ids = Array.from({ length: 50 }, () => (invoker.call(fn, 'trigger') as InvocationContext).invocationId);
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(50);
  });
});

describe('requestTarget', () => {
  const viaUrl = (target: string) => {
    try {
      const u = new URL(target, 'http://127.0.0.1:7071');
      return { pathname: u.pathname, search: u.search };
    } catch {
      return 'throws';
    }
  };
  const split = (target: string) => {
    try {
      const t = requestTarget(incoming(target, ['Host', '127.0.0.1:7071']));
      return { pathname: t.pathname, search: t.search };
    } catch {
      return 'throws';
    }
  };

  it.each([
    '/api/shows/shw-1/seats',
    '/api/shows?city=mum&date=2026-01-01',
    '/api/ping?',
    '/api/a%20b/%2E%2e/c',
    '/api/./ping',
    '/api/../x',
    '//evil/api/ping',
    'http://other/api/ping?x=1',
    '/api\\ping',
    '/api/pi"ng?q=a b',
    "/api/it's?q='",
    '/api/pïng',
    '/api/x#frag',
    '*',
    '/',
  ])('gives %s the URL’s path and query', (target) => {
    expect(split(target)).toEqual(viaUrl(target));
  });

  it('agrees with new URL for any target', () => {
    const char = fc.constantFrom(...'aZ09-._~!$&\'()*+,;=:@%2eE/?#\\ "<>^`{|}[]é\t'.split(''));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 24 }), fc.boolean(), (chars, leadingSlash) => {
        const target = (leadingSlash ? '/' : '') + chars.join('');
        expect(split(target)).toEqual(viaUrl(target));
      }),
      { numRuns: 5000 },
    );
  });

  it('builds the URL only when asked, with the Host header as its origin', () => {
    const t = requestTarget(incoming('/api/ping?a=1', ['Host', 'example.test:81']));
    expect(t.url.href).toBe('http://example.test:81/api/ping?a=1');
    expect(t.url).toBe(t.url);
  });
});
