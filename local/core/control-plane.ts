// The local control plane's door (local/README.md, Keys): the Durable HTTP API and console, the
// /.local/* routes and the payment simulator's admin routes answer only a caller with the master
// key (or, for the Durable API, its system key) in `x-functions-key` or `?code=`, as on Azure —
// or, where a plugin allows it, a bearer token with the operator role from the dev identity
// provider. Anonymous callers get 401: a web page the developer visits cannot drive the sagas.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyChecker, KeyLevel } from '../http/keys.js';
import { sendProblem } from './http-server.js';
import type { RequestTarget } from './plugin.js';

/** Resolves to the token's roles when the token is valid, undefined otherwise. */
export type TokenVerifier = (token: string) => Promise<readonly string[] | undefined>;

export interface AdmitOptions {
  /** The lowest key that opens the door: 'admin' (master key only) or 'system'. */
  key: Extract<KeyLevel, 'admin' | 'system'>;
  /** Accept an operator's bearer token instead of a key. */
  operator?: boolean;
}

export class ControlPlane {
  private verify: TokenVerifier | undefined;

  constructor(
    private readonly keys: KeyChecker,
    private readonly operatorRole: string,
  ) {}

  /** The dev identity provider hands its verifier over when it starts. */
  acceptOperatorTokens(verify: TokenVerifier): void {
    this.verify = verify;
  }

  /**
   * True when the caller may pass; otherwise answers 401 and resolves to false. Synchronous for a
   * key (the common case); a bearer token is verified asynchronously.
   */
  admit(
    req: IncomingMessage,
    res: ServerResponse,
    target: Pick<RequestTarget, 'search'>,
    options: AdmitOptions,
  ): boolean | Promise<boolean> {
    if (this.keys.allows(options.key, req, target)) return true;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (options.operator && bearer && this.verify) {
      return this.verify(bearer).then(
        (roles) => roles?.includes(this.operatorRole) || this.refuse(res, options),
        () => this.refuse(res, options),
      );
    }
    return this.refuse(res, options);
  }

  private refuse(res: ServerResponse, options: AdmitOptions): false {
    const key = options.key === 'admin' ? 'the master key' : 'the master key or the Durable system key';
    const or = options.operator ? `, or an operator's bearer token (role ${this.operatorRole})` : '';
    sendProblem(
      res,
      401,
      'Unauthorized',
      `This is the host's control plane: send ${key} in the x-functions-key header or the code query parameter${or}.`,
      'UNAUTHORIZED',
      {},
      { 'www-authenticate': options.operator ? 'Bearer' : 'FunctionsKey' },
    );
    return false;
  }
}
