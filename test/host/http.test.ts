// The HTTP trigger plugin over real HTTP, against the fixture app (test/fixtures/basic-app.ts):
// routing with every constraint kind, precedence, 404/405, auth levels, JWTs through the app's own
// authenticator, validation problems, failures, 204, cookies, streams, and the registration metadata.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';

let host: TestHost;
beforeAll(async () => {
  // No clock skew, so a token that expired a second ago is refused at once.
  host = await startHost({ main: 'dist/test/fixtures/basic-app.js', env: { AUTH_CLOCK_SKEW_SECONDS: '0' } });
});
afterAll(async () => host?.stop());

const get = (path: string, init?: RequestInit) => fetch(host.url(path), init);
const routed = async (path: string) => {
  const res = await get(path);
  return res.status === 200 ? ((await res.json()) as { fn: string; params: Record<string, string> }) : res.status;
};

describe('routing', () => {
  const cases: [string, string, string | undefined][] = [
    // [constraint route, value that matches, value that does not]
    ['int', '-42', '2147483648'],
    ['long', '9223372036854775807', '1.5'],
    ['bool', 'TRUE', 'yes'],
    ['guid', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'not-a-guid'],
    ['alpha', 'abc', 'ab1'],
    ['datetime', '2024-02-29', '2023-02-29'],
    ['decimal', '12.50', '1e3'],
    ['double', '1e3', 'abc'],
    ['float', '-0.5', 'x'],
    ['min', '10', '9'],
    ['max', '10', '11'],
    ['range', '7', '11'],
    ['length', 'abc', 'abcd'],
    ['lengthrange', 'abcd', 'a'],
    ['minlength', 'abc', 'ab'],
    ['maxlength', 'abc', 'abcd'],
    ['regex', 'A12', 'a123'],
    ['multi', '3', '0'],
  ];
  it.each(cases)('serves {v:%s} for a matching value and 404s otherwise', async (kind, good, bad) => {
    expect(await routed(`/api/c/${kind}/${good}`)).toEqual({
      fn: `c-${kind}`,
      params: { v: good },
      method: 'GET',
      url: host.url(`/api/c/${kind}/${good}`),
      query: {},
    });
    expect(await routed(`/api/c/${kind}/${bad}`)).toBe(404);
  });

  it('handles optional, defaulted and catch-all parameters', async () => {
    expect(await routed('/api/opt')).toMatchObject({ fn: 'optional', params: {} });
    expect(await routed('/api/opt/7')).toMatchObject({ fn: 'optional', params: { v: '7' } });
    expect(await routed('/api/def')).toMatchObject({ fn: 'defaulted', params: { v: 'fallback' } });
    expect(await routed('/api/def/given')).toMatchObject({ fn: 'defaulted', params: { v: 'given' } });
    expect(await routed('/api/files/a/b%20c/d.txt')).toMatchObject({ fn: 'catchAll', params: { path: 'a/b c/d.txt' } });
    expect(await routed('/api/doc/report.final.pdf')).toMatchObject({
      fn: 'complexSegment',
      params: { name: 'report.final', ext: 'pdf' },
    });
  });

  it('matches case-insensitively and ignores a trailing slash', async () => {
    expect(await routed('/API/hello/WORLD')).toMatchObject({ fn: 'caseLiteral' });
    expect(await routed('/api/opt/1/')).toMatchObject({ fn: 'optional', params: { v: '1' } });
  });

  it('serves a function without a route at its name, with GET and POST by default', async () => {
    expect(await routed('/api/noRoute')).toMatchObject({ fn: 'noRoute' });
    expect((await get('/api/default-methods', { method: 'POST' })).status).toBe(200);
  });

  it('prefers literal over constrained parameter over parameter over catch-all', async () => {
    expect(await routed('/api/prec/special')).toMatchObject({ fn: 'precLiteral' });
    expect(await routed('/api/prec/12')).toMatchObject({ fn: 'precConstrained', params: { id: '12' } });
    expect(await routed('/api/prec/twelve')).toMatchObject({ fn: 'precParam', params: { name: 'twelve' } });
    expect(await routed('/api/prec/a/b')).toMatchObject({ fn: 'precCatchAll', params: { rest: 'a/b' } });
  });

  it('passes the query (repeated keys joined with commas, like the host) and an absolute URL', async () => {
    const body = await (await get('/api/opt/1?a=1&b=x%20y&a=2')).json();
    expect(body).toMatchObject({ query: { a: '1,2', b: 'x y' }, url: host.url('/api/opt/1?a=1&b=x%20y&a=2') });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await get('/api/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    // "/api" is a path prefix, not a string prefix: /apinope is left to the rest of the host.
    expect(await (await get('/apinope')).text()).not.toContain('No function is served');
  });

  it('answers a known route with a wrong method with 405, Allow and the accepted methods in the body', async () => {
    const res = await get('/api/items/5', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PATCH, PUT');
    const problem = (await res.json()) as { code: string; allow: string[]; detail: string };
    expect(problem.code).toBe('METHOD_NOT_ALLOWED');
    expect(problem.allow).toEqual(['GET', 'PATCH', 'PUT']);
    expect(problem.detail).toContain('GET, PATCH, PUT');
    expect(await routed('/api/items/5')).toMatchObject({ fn: 'itemsRead' });
    expect(await (await get('/api/items/5', { method: 'PUT' })).json()).toMatchObject({ fn: 'itemsWrite' });
  });
});

describe('auth levels', () => {
  // Set per host by test/support/local-host.ts (unset, the host makes random ones).
  const functionKey = () => host.keys.function;
  const masterKey = () => host.keys.master;

  it('needs a key for authLevel function: function or master key, as header or code query', async () => {
    expect((await get('/api/keys/function')).status).toBe(401);
    expect((await get('/api/keys/function', { headers: { 'x-functions-key': 'wrong-key-123' } })).status).toBe(401);
    expect((await get('/api/keys/function?code=wrong-key-123')).status).toBe(401);
    expect((await get('/api/keys/function', { headers: { 'x-functions-key': functionKey() } })).status).toBe(200);
    expect((await get(`/api/keys/function?code=${functionKey()}`)).status).toBe(200);
    expect((await get(`/api/keys/function?code=${masterKey()}`)).status).toBe(200);
  });

  it('needs the master key for authLevel admin', async () => {
    const res = await get('/api/keys/admin', { headers: { 'x-functions-key': functionKey() } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await get('/api/keys/admin', { headers: { 'x-functions-key': masterKey() } })).status).toBe(200);
    expect((await get(`/api/keys/admin?code=${masterKey()}`)).status).toBe(200);
  });
});

describe('bearer tokens through shared/http/auth', () => {
  const token = (body: Record<string, unknown>) =>
    fetch(host.url('/.identity/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('accepts a dev identity token and reads subject, name and roles', async () => {
    const t = await tokenFor(host.origin, { sub: 'user-1', name: 'Asha', roles: ['customer'] });
    const res = await get('/api/me', { headers: bearer(t) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: 'user-1', name: 'Asha', roles: ['customer'] });
  });

  it('publishes discovery at /.identity and at the root, and mints RS256 tokens with the claims', async () => {
    const discovery = (await (await get('/.identity/.well-known/openid-configuration')).json()) as Record<
      string,
      string
    >;
    expect(discovery).toMatchObject({
      issuer: host.url('/.identity'),
      jwks_uri: host.url('/.identity/jwks'),
      token_endpoint: host.url('/.identity/token'),
    });
    expect(await (await get('/.well-known/openid-configuration')).json()).toEqual(discovery);
    const jwks = (await (await get('/.identity/jwks')).json()) as { keys: { kid: string; alg: string; kty: string }[] };
    expect(jwks.keys).toHaveLength(1);
    const res = await token({ sub: 'u', roles: ['operator'] });
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    const [header, payload] = body.access_token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    expect(payload).toMatchObject({ iss: discovery.issuer, aud: 'api://marquee', sub: 'u', roles: ['operator'] });
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('refuses a bad token request with a 400 naming each field', async () => {
    const res = await token({ name: 7, roles: 'customer', expires_in: 0 });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.sub', 'body.name', 'body.roles', 'body.expires_in']));
  });

  it('refuses an expired token with 401 and WWW-Authenticate', async () => {
    const t = (await (await token({ sub: 'u', roles: ['customer'], expires_in: 2 })).json()) as {
      access_token: string;
    };
    // Accepted while valid (the app then remembers it as verified)…
    expect((await get('/api/me', { headers: bearer(t.access_token) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    // …and refused once expired all the same.
    const res = await get('/api/me', { headers: bearer(t.access_token) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await res.json()).toMatchObject({ detail: 'The token has expired.' });
  });

  it('refuses a token for another audience', async () => {
    const t = (await (await token({ sub: 'u', roles: ['customer'], aud: 'api://someone-else' })).json()) as {
      access_token: string;
    };
    const res = await get('/api/me', { headers: bearer(t.access_token) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ detail: "The token's aud claim is not accepted." });
  });

  it('refuses a token signed by a foreign key, even under the real key id', async () => {
    const jwks = (await (await get('/.identity/jwks')).json()) as { keys: { kid: string }[] };
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    expect((await exportJWK(publicKey)).kty).toBe('RSA');
    const forged = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'RS256', kid: jwks.keys[0]!.kid })
      .setIssuer(host.url('/.identity'))
      .setAudience('api://marquee')
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const res = await get('/api/me', { headers: bearer(forged) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ detail: 'The token signature is not valid.' });
  });

  it('answers 403 when a required role is missing and 401 with a challenge without a token', async () => {
    const t = await tokenFor(host.origin, { sub: 'user-2', roles: ['customer'] });
    const forbidden = await get('/api/operator-only', { headers: bearer(t) });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
    const operator = await tokenFor(host.origin, { sub: 'op', roles: ['operator'] });
    expect((await get('/api/operator-only', { headers: bearer(operator) })).status).toBe(200);
    const anonymous = await get('/api/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('input validation through shared/http/validate', () => {
  const post = (body: string, type = 'application/json') =>
    get('/api/orders', { method: 'POST', headers: { 'content-type': type }, body });

  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ showId: 's1', seats: ['A1', 'B12'], quantity: 2 }));
    expect(res.status).toBe(201);
  });

  it('answers 400 problem+json naming every bad field', async () => {
    const res = await post(JSON.stringify({ showId: '', seats: ['A1', 'zz'], quantity: 0, extra: true }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.showId', 'body.seats.1', 'body.quantity']),
    );
  });

  it('answers 400 for malformed JSON and 415 for another content type', async () => {
    const malformed = await post('{"showId": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ field: 'body', message: 'malformed JSON' }] });
    const wrongType = await post('showId=1', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

describe('results', () => {
  it('turns a thrown error into a 500 problem with no stack or message, and logs the stack', async () => {
    const res = await get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('secret-internal-detail');
    expect(text).not.toMatch(/\bat .*\.js:\d+/);
    expect(JSON.parse(text)).toMatchObject({ status: 500 });
    await expect
      .poll(() => host.output())
      .toMatch(/Executed 'boom' \(Failed, Id=[0-9a-f-]{36}\): Error: secret-internal-detail[^\n]*\n\s+at /);
  });

  it('answers 500 for a result that is not an object, like the worker', async () => {
    expect((await get('/api/string-result')).status).toBe(500);
  });

  it('answers 204 with no body when the handler returns undefined', async () => {
    const res = await get('/api/nothing', { method: 'POST', body: 'ignored' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('drops the body of a 304 and keeps its headers', async () => {
    const res = await get('/api/not-modified');
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe('"v1"');
  });

  it('writes Buffer, string and HttpResponse bodies with their content types', async () => {
    const bytes = await get('/api/bytes');
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const text = await get('/api/text');
    expect(text.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(await text.text()).toBe('plain words');
    const head = await get('/api/text', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    const instance = await get('/api/instance');
    expect(instance.status).toBe(202);
    expect(instance.headers.get('x-custom')).toBe('yes');
    expect(await instance.json()).toEqual({ accepted: true });
  });

  it('turns cookies into Set-Cookie headers next to a raw one', async () => {
    const res = await get('/api/cookies');
    expect(res.headers.getSetCookie()).toEqual([
      'raw=1; Path=/',
      'session=abc; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax',
      'theme=dark; Domain=example.test; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
    ]);
  });

  it('streams a stream body chunk by chunk, the first before the last is produced', async () => {
    const started = Date.now();
    const res = await get('/api/stream?count=3&gap=400');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    expect(Buffer.from(first.value!).toString()).toBe('data: 0\n\n');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('data: 1\n\ndata: 2\n\n');
    expect(firstAt).toBeLessThan(Date.now() - started - 500);
  });

  it('passes request bodies, joined headers and X-Forwarded-* to the handler', async () => {
    const res = await get('/api/echo-body', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.9' },
      body: 'héllo',
    });
    const body = (await res.json()) as { length: number; text: string; headers: Record<string, string> };
    expect(body.text).toBe('héllo');
    expect(body.length).toBe(6);
    expect(body.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(body.headers['x-forwarded-proto']).toBe('http');
    expect(body.headers['x-forwarded-host']).toBe(new URL(host.origin).host);
  });
});

describe('registration metadata', () => {
  it('is exactly what @azure/functions handed a recording @azure/functions-core for the same app', async () => {
    // A separate process installs its own recording hook, then requires the same compiled fixture.
    const recorder = `
      const Module = require('node:module');
      const seen = [];
      const core = { registerFunction: (m) => { seen.push(m); return { dispose() {} }; }, setProgrammingModel() {}, registerHook: () => ({ dispose() {} }), log() {} };
      const original = Module.prototype.require;
      Module.prototype.require = function (id) { return id === '@azure/functions-core' ? core : original.call(this, id); };
      require(process.argv[1]);
      process.stdout.write(JSON.stringify(seen));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', recorder, `${repoRoot}/dist/test/fixtures/basic-app.js`],
      { cwd: repoRoot, env: { ...process.env, ...host.env } as NodeJS.ProcessEnv },
    );
    const recorded = JSON.parse(stdout) as { name: string }[];
    const served = (await (await get('/.local/functions', { headers: host.admin })).json()) as { name: string }[];
    expect(recorded.length).toBeGreaterThan(40);
    expect(served).toEqual(recorded);
  });
});
