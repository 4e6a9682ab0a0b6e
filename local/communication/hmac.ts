// The HMAC-SHA256 request signature Azure Communication Services checks, exactly as
// `@azure/communication-common` computes it (communicationAccessKeyCredentialPolicy): the string to
// sign is `VERB\n<path>?<query>\n<x-ms-date>;<host>;<x-ms-content-sha256>`, the query serialised
// by URLSearchParams, the content hash the base64 SHA-256 of the body.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Requests signed more than this long ago (or ahead) are refused, as the service does. */
const MAX_SKEW_MS = 15 * 60_000;

export function verifyAcsSignature(
  req: IncomingMessage,
  body: Buffer,
  accessKey: string,
  now = Date.now(),
): string | undefined {
  const header = String(req.headers.authorization ?? '');
  const m = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(header);
  if (!m) return 'the Authorization header is not HMAC-SHA256';
  if (m[1] !== 'x-ms-date;host;x-ms-content-sha256') return `unexpected SignedHeaders ${m[1]}`;
  const date = String(req.headers['x-ms-date'] ?? '');
  const at = Date.parse(date);
  if (!Number.isFinite(at) || Math.abs(now - at) > MAX_SKEW_MS) return 'x-ms-date is missing or too far from now';
  const contentHash = createHash('sha256').update(body).digest('base64');
  if (req.headers['x-ms-content-sha256'] !== contentHash) return 'x-ms-content-sha256 does not match the body';
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const query = url.searchParams.toString();
  const pathAndQuery = query ? `${url.pathname}?${query}` : url.pathname;
  const toSign = `${(req.method ?? 'GET').toUpperCase()}\n${pathAndQuery}\n${date};${req.headers.host ?? ''};${contentHash}`;
  const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(toSign, 'utf8').digest();
  const given = Buffer.from(m[2]!, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
  return undefined;
}
