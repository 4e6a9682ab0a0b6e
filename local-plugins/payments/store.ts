// The simulator's state: sessions, payments, refunds and idempotency records, in memory, and — given
// a journal file (the host keeps it in its data folder) — durable like a real provider's: every
// change is appended and fdatasync'd before the answer that shows it, and replayed at start, so a
// host restart forgets no payment. Sessions expire lazily when read. Ids are random and prefixed
// like a real provider's (cs_, pay_, re_).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeAtomically } from '../../local/core/data-dir.js';
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

type Entry =
  | { k: 'session'; v: SimSession }
  | { k: 'payment'; v: SimPayment }
  | { k: 'refund'; v: SimRefund }
  | { k: 'sessionKey' | 'refundKey'; id: string; v: IdempotencyRecord };

export class SimulatorStore {
  readonly sessions = new Map<string, SimSession>();
  readonly payments = new Map<string, SimPayment>();
  readonly refunds = new Map<string, SimRefund>();
  private readonly sessionKeys = new Map<string, IdempotencyRecord>();
  private readonly refundKeys = new Map<string, IdempotencyRecord>();
  private fd: number | undefined;

  constructor(
    private readonly now: () => number = Date.now,
    journal?: string,
  ) {
    if (!journal) return;
    if (existsSync(journal)) this.load(readFileSync(journal, 'utf8'));
    writeAtomically(journal, this.snapshot());
    this.fd = openSync(journal, 'a', 0o600);
  }

  /** Records a session, payment or refund as it is now; call it after every change, before answering. */
  saved(record: Extract<Entry, { k: 'session' | 'payment' | 'refund' }>): void {
    this.append(record);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(entry: Entry): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    fdatasyncSync(this.fd);
  }

  private apply(entry: Entry): void {
    if (entry.k === 'session') this.sessions.set(entry.v.id, entry.v);
    else if (entry.k === 'payment') this.payments.set(entry.v.id, entry.v);
    else if (entry.k === 'refund') this.refunds.set(entry.v.id, entry.v);
    else (entry.k === 'sessionKey' ? this.sessionKeys : this.refundKeys).set(entry.id, entry.v);
  }

  /** Every complete line, in order (the last record of an id wins); a torn last line was never acknowledged. */
  private load(text: string): void {
    for (const line of text.split('\n').slice(0, -1)) if (line) this.apply(JSON.parse(line) as Entry);
  }

  private snapshot(): string {
    const entries: Entry[] = [
      ...[...this.sessions.values()].map((v) => ({ k: 'session' as const, v })),
      ...[...this.payments.values()].map((v) => ({ k: 'payment' as const, v })),
      ...[...this.refunds.values()].map((v) => ({ k: 'refund' as const, v })),
      ...[...this.sessionKeys].map(([id, v]) => ({ k: 'sessionKey' as const, id, v })),
      ...[...this.refundKeys].map(([id, v]) => ({ k: 'refundKey' as const, id, v })),
    ];
    return entries.map((e) => JSON.stringify(e) + '\n').join('');
  }

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
    const entry: Entry = { k: kind === 'session' ? 'sessionKey' : 'refundKey', id: key, v: { fingerprint, resultId } };
    this.apply(entry);
    this.append(entry);
  }

  refundedOf(payment: SimPayment): Money {
    return { minor: payment.refunded, currency: payment.amount.currency };
  }
}
