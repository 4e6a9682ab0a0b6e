// The HTTP plugin writes plain init objects without building an HttpResponse (it is the hot path).
// These cases prove the shortcut gives exactly what `new HttpResponse(init)` gives, and that
// anything it does not handle is left to the library.
import { HttpResponse, type HttpResponseInit } from '@azure/functions';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { directResponse, serializeCookie } from '../../../../local/http/response.js';

async function viaLibrary(init: HttpResponseInit) {
  const res = new HttpResponse(init);
  const headers: Record<string, string | string[]> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = [...res.headers.getSetCookie(), ...res.cookies.map(serializeCookie)];
  if (cookies.length) headers['set-cookie'] = cookies;
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers, body: bytes.length ? bytes : undefined };
}

const same: [string, HttpResponseInit][] = [
  ['a string body', { body: 'hello' }],
  ['a string body with its own content type', { body: '<p>', headers: { 'Content-Type': 'text/html' } }],
  ['a jsonBody', { status: 201, jsonBody: { a: [1, 'x'] } }],
  ['a jsonBody with a content type', { jsonBody: { a: 1 }, headers: { 'content-type': 'application/problem+json' } }],
  ['a Buffer body', { body: Buffer.from([1, 2, 3]) }],
  ['no body', { status: 202 }],
  ['a 204 with a body', { status: 204, body: 'dropped' }],
  ['a 304 with a jsonBody', { status: 304, jsonBody: { x: 1 }, headers: { etag: '"1"' } }],
  ['headers with edge whitespace', { body: 'x', headers: { 'X-A': '  padded\t' } }],
  ['a null jsonBody beside a body', { jsonBody: null, body: 'text wins' }],
  [
    'cookies and a raw set-cookie header',
    {
      body: 'c',
      headers: { 'set-cookie': 'a=1' },
      cookies: [{ name: 'b', value: '2', httpOnly: true, sameSite: 'Strict', maxAge: 60 }],
    },
  ],
  ['a UTF-8 body', { body: 'नमस्ते' }],
];

describe('direct response writing', () => {
  it.each(same)('matches new HttpResponse for %s', async (_name, init) => {
    const direct = directResponse(init);
    expect(direct).toBeDefined();
    const expected = await viaLibrary(init);
    const got = { status: direct!.status, headers: direct!.headers, body: direct!.body };
    expect(got).toEqual(expected);
  });

  it.each([
    ['a stream body', { body: Readable.from(['a']) }],
    ['a Headers object', { body: 'x', headers: new Headers({ a: '1' }) }],
    ['header pairs', { body: 'x', headers: [['a', '1']] }],
    ['an invalid header name', { body: 'x', headers: { 'bad name': '1' } }],
    ['a header value with a newline', { body: 'x', headers: { a: 'b\nc' } }],
    ['a status outside 200-599', { status: 101 }],
    ['URLSearchParams', { body: new URLSearchParams('a=1') }],
    ['an HttpResponse instance', new HttpResponse({ body: 'x' })],
  ] as [string, object][])('leaves %s to the library', (_name, init) => {
    expect(directResponse(init)).toBeUndefined();
  });
});
