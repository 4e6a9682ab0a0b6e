// ETag and Cache-Control for public, cacheable resources: If-None-Match gets 304 (RFC 9110).
import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/** A strong ETag from a body's bytes. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

export function matchesIfNoneMatch(req: HttpRequest, etag: string): boolean {
  const header = req.headers.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** 200 with the body, or 304 when the client already has this version. */
export function cacheable(
  req: HttpRequest,
  body: string,
  options: { etag?: string; cacheControl: string; contentType?: string },
): HttpResponseInit {
  const etag = options.etag ?? etagOf(body);
  const headers = { etag, 'cache-control': options.cacheControl };
  if (matchesIfNoneMatch(req, etag)) return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'content-type': options.contentType ?? 'application/json; charset=utf-8' },
    body,
  };
}

/**
 * Both possible answers for one version of a hot resource, built once: the 200 with its body
 * and headers ready, and the 304. Handlers keep one per cached snapshot (see `preparedFor`), so a
 * request costs an If-None-Match check and no serialization, encoding or header building. Frozen:
 * the same objects go out on every request.
 */
export interface PreparedCacheable {
  readonly etag: string;
  readonly ok: Readonly<HttpResponseInit>;
  readonly notModified: Readonly<HttpResponseInit>;
}

export function prepareCacheable(
  body: string,
  options: { etag?: string; cacheControl: string; contentType?: string },
): PreparedCacheable {
  const etag = options.etag ?? etagOf(body);
  const base = { etag, 'cache-control': options.cacheControl };
  const okHeaders = Object.freeze({
    ...base,
    'content-type': options.contentType ?? 'application/json; charset=utf-8',
  });
  return Object.freeze({
    etag,
    // The body stays a string: the local host then writes head and body in one write, and the
    // worker encodes it once either way.
    ok: Object.freeze({ status: 200, headers: okHeaders, body }),
    notModified: Object.freeze({ status: 304, headers: Object.freeze({ ...base }) }),
  });
}

/** `cacheable` for a prepared resource: the 304 when the client has this version, else the 200. */
export function answerPrepared(req: HttpRequest, prepared: PreparedCacheable): HttpResponseInit {
  return matchesIfNoneMatch(req, prepared.etag) ? prepared.notModified : prepared.ok;
}

/**
 * The prepared answers of a cached snapshot object, built on first use and dropped with the
 * snapshot (a WeakMap keyed by the cache's own value, so it never outlives the cache's TTL).
 */
export function preparedFor<K extends object>(
  memo: WeakMap<K, PreparedCacheable>,
  snapshot: K,
  build: (snapshot: K) => PreparedCacheable,
): PreparedCacheable {
  let prepared = memo.get(snapshot);
  if (!prepared) memo.set(snapshot, (prepared = build(snapshot)));
  return prepared;
}
