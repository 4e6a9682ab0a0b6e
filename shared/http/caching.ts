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
export function cacheable(req: HttpRequest, body: string, options: { etag?: string; cacheControl: string; contentType?: string }): HttpResponseInit {
  const etag = options.etag ?? etagOf(body);
  const headers = { etag, 'cache-control': options.cacheControl };
  if (matchesIfNoneMatch(req, etag)) return { status: 304, headers };
  return { status: 200, headers: { ...headers, 'content-type': options.contentType ?? 'application/json; charset=utf-8' }, body };
}
