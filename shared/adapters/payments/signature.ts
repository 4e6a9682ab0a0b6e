// Webhook signatures, modelled on Stripe's: the header
//   Marquee-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>
// Signing the timestamp with the body means a captured webhook cannot be replayed with a fresh
// `t`; the tolerance bounds how long the original can be replayed at all, and consumers de-duplicate
// on the event id within that window. Several v1 values may appear (secret rotation); any match
// passes. Comparison is constant-time. The simulator signs with this same module.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PaymentError } from '../../ports/payments.js';

export const SIGNATURE_HEADER = 'marquee-signature';
export const EVENT_ID_HEADER = 'marquee-event-id';

export function computeSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** The header value for `rawBody` signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, rawBody: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

export interface VerifyOptions {
  /** Seconds a signature stays acceptable either side of now. */
  toleranceSeconds: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

/** Throws PaymentError WEBHOOK_SIGNATURE_INVALID or WEBHOOK_TIMESTAMP_STALE; returns the timestamp. */
export function verifySignature(
  secret: string,
  rawBody: string,
  header: string | null | undefined,
  options: VerifyOptions,
): number {
  if (!header) throw new PaymentError('WEBHOOK_SIGNATURE_INVALID', `The ${SIGNATURE_HEADER} header is missing.`);
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) {
    throw new PaymentError(
      'WEBHOOK_SIGNATURE_INVALID',
      `The ${SIGNATURE_HEADER} header must be "t=<seconds>,v1=<hex>".`,
    );
  }
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), 'hex');
  // Check every candidate (no early exit) so timing says nothing about which one matched.
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(expected, Buffer.from(candidate, 'hex')) || matched;
  if (!matched) throw new PaymentError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature does not match its body.');
  // Freshness is checked after authenticity, so an attacker learns nothing from the stale answer.
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > options.toleranceSeconds) {
    throw new PaymentError(
      'WEBHOOK_TIMESTAMP_STALE',
      `The webhook was signed ${now - timestamp} s ago; at most ${options.toleranceSeconds} s is accepted.`,
    );
  }
  return timestamp;
}

/** Reads one header from fetch Headers, HttpRequest.headers or a plain record, case-insensitively. */
export function headerOf(
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(',') : value;
}
