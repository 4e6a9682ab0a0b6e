// The dev identity provider (on when MARQUEE_DEV_IDENTITY=true): an OpenID provider at
// <origin>/.identity that mints RS256 access tokens for any subject and roles. The app validates
// them through shared/http/auth.ts exactly like Entra ID tokens — discovery, JWKS, iss, aud, exp.
// The key pair is made once per data folder (local/README.md, Data folder), so tokens stay valid
// across restarts; without a data folder it changes at every start. Tokens with the operator role
// also open the host's control plane where it allows them (core/control-plane.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { devIdentityOn } from './settings.js';
import { readBody, sendJson, sendProblem } from '../../local/core/http-server.js';
import type { HostContext, HostPlugin } from '../../local/core/plugin.js';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export const TokenRequestSchema = z.strictObject({
  sub: z.string().min(1).max(256),
  name: z.string().min(1).max(256).optional(),
  roles: z.array(z.string().min(1).max(64)).max(32).default([]),
  /** Another audience than AUTH_AUDIENCE, so tests can show the app refuses it. */
  aud: z.string().min(1).max(256).optional(),
  /** Seconds; tests ask for short-lived tokens. */
  expires_in: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(DEFAULT_TOKEN_LIFETIME_SECONDS),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const identityPlugin: HostPlugin = {
  name: 'identity',
  // Needs no registry: up before the app loads, so tokens are served as early as the host's own
  // routes (a client retrying after a restart signs in while the Durable plugin still recovers).
  beforeApp: true,
  async start(host: HostContext) {
    if (!devIdentityOn(host.env)) return;
    const issuer = `${host.origin}/.identity`;
    // The Marquee plugin (local-plugins/marquee) fills AUTH_AUDIENCE before plugins start when dev identity is on.
    const audience = host.env.AUTH_AUDIENCE ?? 'api://marquee';
    const pem = host.data.secret('identitySigningKey', () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    );
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const publicJwk: JWK = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwks = JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] });
    const discovery = {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none'],
      claims_supported: ['iss', 'aud', 'sub', 'name', 'roles', 'iat', 'exp'],
    };

    const mint = async (input: TokenRequest) => {
      const jwt = new SignJWT({ ...(input.name ? { name: input.name } : {}), roles: input.roles })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(input.aud ?? audience)
        .setSubject(input.sub)
        .setIssuedAt()
        .setExpirationTime(`${input.expires_in}s`);
      return { access_token: await jwt.sign(privateKey), token_type: 'Bearer', expires_in: input.expires_in };
    };

    host.controlPlane.acceptOperatorTokens(async (token) => {
      const { payload } = await jwtVerify(token, publicKey, { issuer, audience, algorithms: ['RS256'] });
      return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
    });

    const serveDiscovery = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
      sendJson(res, 200, discovery, { 'cache-control': 'no-store' });
    };

    host.mount('/.identity', async (req, res, url) => {
      switch (url.pathname.replace(/\/$/, '')) {
        case '/.identity/.well-known/openid-configuration':
          return serveDiscovery(req, res);
        case '/.identity/jwks':
          if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(jwks),
            'cache-control': 'no-store',
          });
          res.end(jwks);
          return;
        case '/.identity/token':
          if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
          return token(req, res, mint);
        default:
          return false;
      }
    });
    host.mount('/.well-known/openid-configuration', (req, res, url) => {
      if (url.pathname.replace(/\/$/, '') !== '/.well-known/openid-configuration') return false;
      serveDiscovery(req, res);
    });
    host.announce(`Dev identity: ${issuer} (POST ${issuer}/token {"sub","name","roles"})`);
  },
};

async function token(
  req: IncomingMessage,
  res: ServerResponse,
  mint: (input: TokenRequest) => Promise<unknown>,
): Promise<void> {
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
    return sendProblem(
      res,
      415,
      'Unsupported Media Type',
      'Send the token request as application/json: {"sub", "name", "roles"}.',
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
  } catch {
    return sendProblem(res, 400, 'Bad Request', 'The body is not valid JSON.', 'VALIDATION_FAILED', {
      errors: [{ field: 'body', message: 'malformed JSON' }],
    });
  }
  const parsed = TokenRequestSchema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) => {
      const at = ['body', ...i.path.map(String)];
      // An unknown member is named itself, not its parent object.
      if (i.code === 'unrecognized_keys')
        return i.keys.map((k) => ({ field: [...at, k].join('.'), message: 'unknown member' }));
      return [{ field: at.join('.'), message: i.message }];
    });
    return sendProblem(
      res,
      400,
      'Bad Request',
      `Invalid token request: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`,
      'VALIDATION_FAILED',
      { errors },
    );
  }
  sendJson(res, 200, await mint(parsed.data), { 'cache-control': 'no-store', pragma: 'no-cache' });
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendProblem(res, 405, 'Method Not Allowed', `Only ${allow} is served here.`, 'METHOD_NOT_ALLOWED', {}, { allow });
}
