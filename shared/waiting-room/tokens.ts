// Queue tickets and admission tokens (docs/architecture.md, Waiting room): compact JWTs signed
// with HS256 by jose under WAITING_ROOM_SIGNING_KEY (Key Vault in Azure), so reading one needs no
// store lookup. A queue ticket names the user, the show and the entry's key and does not expire
// (the entry does); an admission token adds the admission's end as `exp`. The two carry different
// audiences, so one can never be passed off as the other.
import { jose } from '../jose.js';
import type { SecretSource } from '../ports/secrets.js';
import type { AdmissionClaims } from '../domain/waiting-room/index.js';

const ISSUER = 'marquee';
const QUEUE = 'marquee:queue';
const ADMISSION = 'marquee:admission';

export type TokenProblem = 'invalid' | 'expired';

export class WaitingRoomTokens {
  private key?: { raw: string; crypto: Promise<CryptoKey> };

  constructor(private readonly secrets: SecretSource) {}

  /**
   * The signing key, imported once per secret value: given raw bytes, jose imports a WebCrypto key
   * on every sign and verify — a thread-pool round trip more on each join and status poll.
   */
  private async secret(): Promise<CryptoKey> {
    const raw = await this.secrets.get('WAITING_ROOM_SIGNING_KEY');
    if (this.key?.raw !== raw) {
      const crypto = globalThis.crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(raw),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign', 'verify'],
      );
      this.key = { raw, crypto };
    }
    return this.key.crypto;
  }

  async queueTicket(c: AdmissionClaims, nowMs: number): Promise<string> {
    return new (jose().SignJWT)({ show: c.showId, key: c.key })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(QUEUE)
      .setSubject(c.userId)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .sign(await this.secret());
  }

  async admissionToken(c: AdmissionClaims, nowMs: number, expiresAtMs: number): Promise<string> {
    return new (jose().SignJWT)({ show: c.showId, key: c.key })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(ADMISSION)
      .setSubject(c.userId)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .setExpirationTime(Math.floor(expiresAtMs / 1000))
      .sign(await this.secret());
  }

  readQueueTicket(token: string, nowMs: number): Promise<AdmissionClaims | TokenProblem> {
    return this.read(token, QUEUE, nowMs);
  }

  readAdmissionToken(token: string, nowMs: number): Promise<AdmissionClaims | TokenProblem> {
    return this.read(token, ADMISSION, nowMs);
  }

  private async read(token: string, audience: string, nowMs: number): Promise<AdmissionClaims | TokenProblem> {
    try {
      const { payload } = await jose().jwtVerify(token, await this.secret(), {
        issuer: ISSUER,
        audience,
        algorithms: ['HS256'],
        currentDate: new Date(nowMs),
      });
      const { sub, show, key } = payload;
      if (typeof sub !== 'string' || typeof show !== 'string' || typeof key !== 'string') return 'invalid';
      return { userId: sub, showId: show, key };
    } catch (err) {
      return err instanceof jose().errors.JWTExpired ? 'expired' : 'invalid';
    }
  }
}
