// Bearer JWTs validated against the issuer's JWKS with jose: Entra ID in Azure, the local dev
// issuer on a laptop — one code path (docs/architecture.md, Security). 401 carries WWW-Authenticate; a missing
// role is 403.
import type { HttpRequest } from '@azure/functions';
import type { createRemoteJWKSet } from 'jose';
import { jose } from '../jose.js';
import { AppError, UserError } from '../errors.js';

const MAX_VERIFIED_TOKENS = 10_000;

export type Role = 'customer' | 'partner' | 'operator';

export interface Principal {
  userId: string;
  name?: string;
  roles: Role[];
}

export interface AuthSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  clockSkewSeconds: number;
  timeoutMs: number;
}

export class Authenticator {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  /** Verified tokens → principal and the time their verification stops counting; bounded. */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly settings: AuthSettings) {
    // jose caches the key set and refetches on an unknown kid (with a cooldown), under a timeout.
    this.jwks = jose().createRemoteJWKSet(new URL(settings.jwksUrl), {
      timeoutDuration: settings.timeoutMs,
      cooldownDuration: 30_000,
    });
  }

  /**
   * Fetches the issuer's key set and imports its signing keys, so the first requests after a start
   * do not each wait on that (functions/app-lifecycle.ts). Never throws: a key set that cannot be
   * fetched now is fetched by the first token, as without this.
   */
  async warm(): Promise<void> {
    try {
      await this.jwks.reload();
      const keys = this.jwks.jwks()?.keys ?? [];
      await Promise.all(keys.filter((k) => k.alg).map((k) => this.jwks({ alg: k.alg!, kid: k.kid })));
    } catch {
      // the first token fetches it
    }
  }

  /** The caller, or undefined when the request carries no Authorization header. */
  async optional(req: HttpRequest): Promise<Principal | undefined> {
    const header = req.headers.get('authorization');
    if (!header) return undefined;
    return this.verify(header);
  }

  /** The caller; 401 without a valid token, 403 when none of `roles` is held. */
  async require(req: HttpRequest, ...roles: Role[]): Promise<Principal> {
    const header = req.headers.get('authorization');
    if (!header) throw challenge('A bearer token is required.', undefined);
    const principal = await this.verify(header);
    if (roles.length && !roles.some((r) => principal.roles.includes(r))) {
      throw new UserError('FORBIDDEN', { detail: `This needs the role ${roles.join(' or ')}.` });
    }
    return principal;
  }

  /**
   * The user a bearer header belongs to, or undefined when it is not a valid token: for deciding
   * who is calling before the route decides what they may do (the rate limits' bucket). A token
   * this instance has verified before answers at once, without a promise.
   */
  userOf(header: string): string | undefined | Promise<string | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return undefined;
    const known = this.verified.get(match[1]!);
    if (known && Date.now() < known.until) return known.principal.userId;
    return this.verify(header).then(
      (principal) => principal.userId,
      () => undefined,
    );
  }

  private async verify(header: string): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw challenge('The Authorization header must be "Bearer <token>".', 'invalid_request');
    const token = match[1]!;
    // A token already verified in full is trusted until its own expiry (plus the allowed skew):
    // a client sends the same token with every request, and the signature check is the dear part.
    const known = this.verified.get(token);
    if (known && Date.now() < known.until) return known.principal;
    try {
      const { payload } = await jose().jwtVerify(token, this.jwks, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockSkewSeconds,
      });
      if (typeof payload.sub !== 'string' || !payload.sub)
        throw challenge('The token has no subject.', 'invalid_token');
      const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter(
        (r): r is Role => r === 'customer' || r === 'partner' || r === 'operator',
      );
      const principal: Principal = {
        userId: payload.sub,
        name: typeof payload.name === 'string' ? payload.name : undefined,
        roles,
      };
      if (typeof payload.exp === 'number')
        this.remember(token, principal, (payload.exp + this.settings.clockSkewSeconds) * 1000);
      return principal;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw challenge(describeJoseError(err), 'invalid_token');
    }
  }

  private remember(token: string, principal: Principal, until: number): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, until });
  }
}

function describeJoseError(err: unknown): string {
  const joseErrors = jose().errors;
  if (err instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${err.claim} claim is not accepted.`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
    return 'The token signature is not valid.';
  if (err instanceof joseErrors.JWKSTimeout) return 'The token could not be checked right now.';
  return 'The token is not valid.';
}

function challenge(detail: string, error: string | undefined): UserError {
  const value = error ? `Bearer error="${error}", error_description="${detail.replace(/"/g, "'")}"` : 'Bearer';
  return new UserError('UNAUTHORIZED', { detail, challenge: value });
}
