// The simulator's state: sessions, payments, refunds and idempotency records, in memory only — a
// host restart forgets them (acceptable for a local stand-in; the real provider persists). Sessions
// expire lazily when read. Ids are random and prefixed like a real provider's (cs_, pay_, re_).
import { randomBytes } from 'node:crypto';
import type { CreateSessionRequest } from '../../shared/adapters/payments/wire.js';
import type { Behaviour } from './settings.js';

export type SessionStatus = 'pending' | 'paid' | 'declined' | 'expired';
type Money = { minor: number; currency: string };

export interface SimSession {
  id: string;
  request: Omit<CreateSessionRequest, 'expiresAt'>;
  status: SessionStatus;
  createdAt: string;
  expiresAt: string;
  behaviour: Behaviour;
  paymentId?: string;
}

export interface SimPayment {
  id: string;
  sessionId: string;
  amount: Money;
  refunded: number;
  /** ISO-8601 UTC time of the payment. */
  createdAt: string;
  /** Refund attempts still to fail (from the behaviour at payment time). */
  refundFailuresLeft: number | 'always';
}

export interface SimRefund {
  id: string;
  paymentId: string;
  amount: Money;
  reason: string;
  status: 'succeeded';
  createdAt: string;
}

interface IdempotencyRecord {
  fingerprint: string;
  resultId: string;
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

export class SimulatorStore {
  readonly sessions = new Map<string, SimSession>();
  readonly payments = new Map<string, SimPayment>();
  readonly refunds = new Map<string, SimRefund>();
  private readonly sessionKeys = new Map<string, IdempotencyRecord>();
  private readonly refundKeys = new Map<string, IdempotencyRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The session with its expiry applied. */
  session(id: string): SimSession | undefined {
    const s = this.sessions.get(id);
    if (s && s.status === 'pending' && Date.parse(s.expiresAt) <= this.now()) s.status = 'expired';
    return s;
  }

  /** Idempotency: the id stored for `key`, 'conflict' when the key was used with another body, or undefined. */
  replay(kind: 'session' | 'refund', key: string, fingerprint: string): string | 'conflict' | undefined {
    const record = (kind === 'session' ? this.sessionKeys : this.refundKeys).get(key);
    if (!record) return undefined;
    return record.fingerprint === fingerprint ? record.resultId : 'conflict';
  }

  remember(kind: 'session' | 'refund', key: string, fingerprint: string, resultId: string): void {
    (kind === 'session' ? this.sessionKeys : this.refundKeys).set(key, { fingerprint, resultId });
  }

  refundedOf(payment: SimPayment): Money {
    return { minor: payment.refunded, currency: payment.amount.currency };
  }
}
