// A local web push service (RFC 8030), playing the part of a browser vendor's push service for
// tests and the outbox: POST /.local/push/subscriptions makes a subscription the way a browser's
// PushManager.subscribe() would (a P-256 key pair and an auth secret it keeps), and answers
// PushSubscription.toJSON(). A push to its endpoint must carry a valid VAPID JWT (RFC 8292) for
// the endpoint's origin and an aes128gcm body (RFC 8291), which is decrypted and put in the outbox.
// DELETE /.local/push/subscriptions/{id} makes it gone: pushes are then answered 410, as a push
// service answers for an unsubscribed browser.
import { createECDH, createDecipheriv, hkdfSync, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { importJWK, jwtVerify } from 'jose';
import type { Outbox } from './outbox.js';

interface LocalSubscription {
  id: string;
  ecdh: ECDH;
  auth: Buffer;
  gone: boolean;
}

const b64u = (b: Buffer) => b.toString('base64url');

export class PushService {
  private readonly subs = new Map<string, LocalSubscription>();

  constructor(
    private readonly outbox: Outbox,
    private readonly origin: string,
    readonly prefix: string,
  ) {}

  subscribe(): { id: string; endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } } {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const sub: LocalSubscription = { id: randomUUID(), ecdh, auth: randomBytes(16), gone: false };
    this.subs.set(sub.id, sub);
    return {
      id: sub.id,
      endpoint: `${this.origin}${this.prefix}/send/${sub.id}`,
      expirationTime: null,
      keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(sub.auth) },
    };
  }

  unsubscribe(id: string): boolean {
    const sub = this.subs.get(id);
    if (!sub) return false;
    sub.gone = true;
    return true;
  }

  /** A push to a subscription's endpoint: the status the push service answers. */
  async receive(req: IncomingMessage, id: string, body: Buffer): Promise<{ status: number; message?: string }> {
    const sub = this.subs.get(id);
    if (!sub) return { status: 404, message: 'no such subscription' };
    if (sub.gone) return { status: 410, message: 'the subscription is gone' };
    if (req.headers.ttl === undefined) return { status: 400, message: 'the TTL header is required' };
    const vapid = await this.verifyVapid(String(req.headers.authorization ?? ''));
    if (vapid) return { status: 401, message: vapid };
    if (req.headers['content-encoding'] !== 'aes128gcm')
      return { status: 415, message: 'Content-Encoding must be aes128gcm' };
    let payload: string;
    try {
      payload = decrypt(sub, body).toString('utf8');
    } catch {
      return { status: 400, message: 'the payload cannot be decrypted with the subscription keys' };
    }
    this.outbox.add({ channel: 'push', to: [id], text: payload, attachments: [], ref: id });
    return { status: 201 };
  }

  private async verifyVapid(header: string): Promise<string | undefined> {
    const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
    if (!m) return 'the Authorization header must be "vapid t=<jwt>, k=<key>"';
    const raw = Buffer.from(m[2]!, 'base64url');
    if (raw.length !== 65 || raw[0] !== 4) return 'k is not an uncompressed P-256 public key';
    try {
      const key = await importJWK(
        { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) },
        'ES256',
      );
      const { payload } = await jwtVerify(m[1]!, key, { audience: this.origin, algorithms: ['ES256'] });
      if (typeof payload.exp !== 'number' || payload.exp * 1000 > Date.now() + 24 * 3600_000)
        return 'exp must be within 24 hours';
      if (typeof payload.sub !== 'string' || !/^(mailto:|https:)/.test(payload.sub))
        return 'sub must be mailto: or https:';
      return undefined;
    } catch (err) {
      return `the VAPID token is not valid: ${(err as Error).message}`;
    }
  }
}

/** RFC 8291 / RFC 8188: one aes128gcm record, keyed by ECDH with the sender and the auth secret. */
function decrypt(sub: LocalSubscription, body: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const secret = sub.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), sub.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('no last-record delimiter');
  return plain.subarray(0, end);
}
