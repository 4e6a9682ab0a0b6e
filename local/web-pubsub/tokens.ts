// The service's two kinds of HS256 JWTs, both keyed by the AccessKey string's UTF-8 bytes (not
// base64-decoded, as the SDK signs them): REST tokens, whose `aud` is the full request URL, and
// client tokens, whose `aud` is `<endpoint>client/hubs/<hub>`.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';

export class TokenError extends Error {
  override name = 'TokenError';
}

export interface ClientClaims {
  userId: string | null;
  roles: string[];
  groups: string[];
}

// One KeyObject per key (signing with jose takes it as it is).
const secrets = new Map<string, KeyObject>();
function secretOf(accessKey: string): KeyObject {
  let key = secrets.get(accessKey);
  if (!key) secrets.set(accessKey, (key = createSecretKey(Buffer.from(accessKey, 'utf8'))));
  return key;
}

/**
 * HS256 only, checked with node:crypto in the calling turn: jose verifies through WebCrypto, an
 * asynchronous job per token, which was most of this emulator's cost per REST call under load
 * (the SDK signs a new token for every call). The claims are still read by jose.
 */
function verify(token: string, accessKey: string): JWTPayload {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('invalid token: not a compact JWS');
  const [header, body, signature] = parts as [string, string, string];
  let alg: unknown;
  try {
    alg = (decodeProtectedHeader(token) as { alg?: unknown }).alg;
  } catch (err) {
    throw new TokenError(`invalid token: ${(err as Error).message}`);
  }
  if (alg !== 'HS256')
    throw new TokenError(`invalid token: "alg" (Algorithm) Header Parameter value not allowed: ${String(alg)}`);
  const expected = createHmac('sha256', secretOf(accessKey)).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new TokenError('invalid token: signature verification failed');
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch (err) {
    throw new TokenError(`invalid token: ${(err as Error).message}`);
  }
  const now = Math.floor(Date.now() / 1000);
  // The SDKs always set exp; a token without one is refused rather than treated as eternal.
  if (typeof payload.exp !== 'number') throw new TokenError('invalid token: missing required "exp" claim');
  if (payload.exp <= now) throw new TokenError('invalid token: "exp" claim timestamp check failed');
  if (typeof payload.nbf === 'number' && payload.nbf > now)
    throw new TokenError('invalid token: "nbf" claim timestamp check failed');
  return payload;
}

/**
 * REST: signature and exp. `aud` is not compared: the SDK signs the URL it built from the
 * connection string (`localhost`), which differs from what reaches the server behind any proxy
 * or with re-encoded query strings, and the signature already proves the key.
 */
export async function verifyRestToken(authorization: string | undefined, accessKey: string): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new TokenError('missing bearer token');
  verify(match[1]!, accessKey);
}

/** Client: signature, exp, and an aud naming this hub on this port (host names may differ). */
export async function verifyClientToken(
  token: string,
  accessKey: string,
  hub: string,
  port: number,
): Promise<ClientClaims> {
  const payload = verify(token, accessKey);
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  const matches = audiences.some((aud) => {
    try {
      const url = new URL(aud);
      const audPort = url.port ? Number(url.port) : url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
      return audPort === port && url.pathname.replace(/\/+$/, '').toLowerCase() === `/client/hubs/${hub.toLowerCase()}`;
    } catch {
      return false;
    }
  });
  if (!matches) throw new TokenError(`token audience ${JSON.stringify(payload.aud)} is not this hub's client endpoint`);
  return {
    userId: typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null,
    roles: stringList(payload.role),
    groups: stringList(payload['webpubsub.group']),
  };
}

/** `POST /:generateToken`: what the service answers when the SDK holds a TokenCredential. */
export async function signClientToken(
  accessKey: string,
  audience: string,
  claims: ClientClaims,
  minutes: number,
): Promise<string> {
  const jwt = new SignJWT({
    ...(claims.roles.length ? { role: claims.roles } : {}),
    ...(claims.groups.length ? { 'webpubsub.group': claims.groups } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${Math.max(1, minutes) * 60}s`);
  if (claims.userId) jwt.setSubject(claims.userId);
  return jwt.sign(secretOf(accessKey));
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
