// Function keys, as the containerised host enforces them (Core Tools does not; we do, so a
// function's authLevel is exercised before it reaches Azure): `function` accepts the function key
// or the master key, `admin` only the master key, `system` (the control plane: the Durable API's
// `code`, as the extension's system key) the system key or the master key — from `x-functions-key`
// or `?code=`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthLevel } from './route-table.js';
import type { RequestTarget } from '../core/plugin.js';

export interface HostKeys {
  functionKey: string;
  masterKey: string;
  /** The Durable extension's system key (`durabletask_extension` on Azure). */
  systemKey: string;
}

export type KeyLevel = AuthLevel | 'system';

const digest = (value: string) => createHash('sha256').update(value).digest();

export class KeyChecker {
  private readonly functionKey: Buffer;
  private readonly masterKey: Buffer;
  private readonly systemKey: Buffer;

  constructor(keys: HostKeys) {
    this.functionKey = digest(keys.functionKey);
    this.masterKey = digest(keys.masterKey);
    this.systemKey = digest(keys.systemKey);
  }

  /** True when the request carries a key good enough for `level`. */
  allows(level: KeyLevel, req: IncomingMessage, target: Pick<RequestTarget, 'search'>): boolean {
    if (level === 'anonymous') return true;
    const header = req.headers['x-functions-key'];
    const given =
      (Array.isArray(header) ? header[0] : header) ??
      (target.search ? new URLSearchParams(target.search).get('code') : null);
    if (!given) return false;
    // Comparing fixed-size digests keeps the comparison constant-time whatever the key length.
    const d = digest(given);
    if (timingSafeEqual(d, this.masterKey)) return true;
    if (level === 'system') return timingSafeEqual(d, this.systemKey);
    return level === 'function' && timingSafeEqual(d, this.functionKey);
  }
}

/** Constant-time equality of two secrets of any length. */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));
