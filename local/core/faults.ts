// Fault injection for chaos runs (local/README.md, Fault injection): the host's emulators fail on
// purpose — Cosmos answers 429/503 or never answers, the payment provider errors, slows down or is
// out, webhooks are lost, duplicated or late, an activity's worker "dies". Off unless a rate is set.
// Each kind draws from its own generator seeded by (LOCAL_FAULTS_SEED, kind), so one kind's rate
// never shifts another's decisions and a run with the same seed makes the same sequence of choices
// per kind (interleavings under load still vary). `/.local/faults` reports the counts and switches
// injection off and on (a chaos run settles with faults off).
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { readBody, sendJson, sendProblem } from './http-server.js';
import type { RawHandler } from './plugin.js';

export const FAULT_KINDS = [
  'cosmos.429',
  'cosmos.503',
  'cosmos.timeout',
  'payments.error',
  'payments.latency',
  'payments.outage',
  'webhook.loss',
  'webhook.duplicate',
  'webhook.delay',
  'activity.crash',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const rate = z.coerce.number().min(0).max(1).default(0);
const ms = (def: number) => z.coerce.number().int().min(0).max(600_000).default(def);

export const FaultSettingsSchema = z.object({
  LOCAL_FAULTS_SEED: z.coerce.number().int().default(1),
  /** Per Cosmos request: answer 429 (with x-ms-retry-after-ms), 503, or forward it and never answer. */
  LOCAL_FAULTS_COSMOS_429: rate,
  LOCAL_FAULTS_COSMOS_503: rate,
  LOCAL_FAULTS_COSMOS_TIMEOUT: rate,
  /** How long a request that "times out" is held before its connection is dropped. */
  LOCAL_FAULTS_COSMOS_TIMEOUT_MS: ms(10_000),
  /** Per provider API call: 500/503 before anything is processed. */
  LOCAL_FAULTS_PAYMENTS_ERROR: rate,
  /** Per provider API call: wait up to LOCAL_FAULTS_PAYMENTS_LATENCY_MS first. */
  LOCAL_FAULTS_PAYMENTS_LATENCY: rate,
  LOCAL_FAULTS_PAYMENTS_LATENCY_MS: ms(3000),
  /** The provider's API is down for OUTAGE_MS out of every OUTAGE_EVERY_MS (0: never). */
  LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: ms(0),
  LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: ms(0),
  /** Per webhook event: never delivered / delivered twice / delivered up to DELAY_MS late. */
  LOCAL_FAULTS_WEBHOOK_LOSS: rate,
  LOCAL_FAULTS_WEBHOOK_DUPLICATE: rate,
  LOCAL_FAULTS_WEBHOOK_DELAY: rate,
  LOCAL_FAULTS_WEBHOOK_DELAY_MS: ms(10_000),
  /** Per activity invocation: the worker dies before or after running it; the work item comes back. */
  LOCAL_FAULTS_ACTIVITY_CRASH: rate,
  LOCAL_FAULTS_ACTIVITY_REDELIVERY_MS: ms(1000),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

const RATE_OF: Partial<Record<FaultKind, keyof FaultSettings>> = {
  'cosmos.429': 'LOCAL_FAULTS_COSMOS_429',
  'cosmos.503': 'LOCAL_FAULTS_COSMOS_503',
  'cosmos.timeout': 'LOCAL_FAULTS_COSMOS_TIMEOUT',
  'payments.error': 'LOCAL_FAULTS_PAYMENTS_ERROR',
  'payments.latency': 'LOCAL_FAULTS_PAYMENTS_LATENCY',
  'webhook.loss': 'LOCAL_FAULTS_WEBHOOK_LOSS',
  'webhook.duplicate': 'LOCAL_FAULTS_WEBHOOK_DUPLICATE',
  'webhook.delay': 'LOCAL_FAULTS_WEBHOOK_DELAY',
  'activity.crash': 'LOCAL_FAULTS_ACTIVITY_CRASH',
};

export function parseFaultSettings(env: NodeJS.ProcessEnv): FaultSettings {
  const result = FaultSettingsSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join('.');
  throw new Error(`setting ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`);
}

/** mulberry32: a tiny, well-distributed 32-bit generator; enough for choosing faults. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const streamSeed = (seed: number, kind: string) =>
  createHash('sha256').update(`${seed}:${kind}`).digest().readUInt32LE(0);

export class Faults {
  private on = false;
  private readonly streams = new Map<FaultKind, () => number>();
  private readonly counts = new Map<FaultKind, number>(FAULT_KINDS.map((k) => [k, 0]));
  private since: number;

  constructor(
    readonly settings: FaultSettings,
    private readonly now: () => number = Date.now,
  ) {
    for (const kind of FAULT_KINDS) this.streams.set(kind, generator(streamSeed(settings.LOCAL_FAULTS_SEED, kind)));
    this.since = now();
  }

  /** Injection happens only while enabled: from the end of start-up when any fault is configured. */
  get enabled(): boolean {
    return this.on;
  }

  /** Switches injection on or off; switching it on starts the outage clock again. */
  setEnabled(on: boolean): void {
    if (on && !this.on) this.since = this.now();
    this.on = on;
  }

  static off(): Faults {
    return new Faults(FaultSettingsSchema.parse({}));
  }

  /** Whether any fault (or any of `kinds`' families, e.g. 'cosmos') is set to happen at all. */
  configured(family?: 'cosmos' | 'payments' | 'webhook' | 'activity'): boolean {
    return FAULT_KINDS.some((k) => (!family || k.startsWith(`${family}.`)) && this.rate(k) > 0);
  }

  rate(kind: FaultKind): number {
    if (kind === 'payments.outage') {
      const s = this.settings;
      return s.LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS > 0 && s.LOCAL_FAULTS_PAYMENTS_OUTAGE_MS > 0 ? 1 : 0;
    }
    const key = RATE_OF[kind];
    return key ? (this.settings[key] as number) : 0;
  }

  /** Draws once from `kind`'s stream; true (and counted) when the fault happens now. */
  roll(kind: FaultKind): boolean {
    const p = this.rate(kind);
    if (!this.enabled || p === 0) return false;
    const hit = this.streams.get(kind)!() < p;
    if (hit) this.count(kind);
    return hit;
  }

  /** A number in [0, 1) from `kind`'s stream, to size a delay or choose a variant of a fault. */
  uniform(kind: FaultKind): number {
    return this.streams.get(kind)!();
  }

  /** Whether the provider is inside one of its outage windows (counted per refused call). */
  paymentsOut(): boolean {
    const { LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: every, LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: length } = this.settings;
    if (!this.enabled || every === 0 || length === 0) return false;
    // The first window opens one period after injection was switched on.
    const t = this.now() - this.since - every;
    const out = t >= 0 && t % every < length;
    if (out) this.count('payments.outage');
    return out;
  }

  count(kind: FaultKind): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  report(): { enabled: boolean; seed: number; rates: Record<string, number>; counts: Record<string, number> } {
    return {
      enabled: this.enabled,
      seed: this.settings.LOCAL_FAULTS_SEED,
      rates: Object.fromEntries(FAULT_KINDS.map((k) => [k, this.rate(k)])),
      counts: Object.fromEntries(this.counts),
    };
  }
}

/**
 * `/.local/faults`: GET reports the settings and the counts of faults injected so far; POST
 * `{"enabled": false}` stops injecting (and `true` resumes). Both need the master key, as the
 * real host's admin API does.
 */
export function faultsRoute(faults: Faults, masterKey: string): RawHandler {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(masterKey);
  return async (req, res, url) => {
    if (url.pathname.replace(/\/$/, '') !== '/.local/faults') return false;
    const given = req.headers['x-functions-key'] ?? url.searchParams.get('code');
    if (!timingSafeEqual(digest(typeof given === 'string' ? given : ''), expected)) {
      sendProblem(res, 401, 'Unauthorized', 'Send the master key as x-functions-key.', 'UNAUTHORIZED');
      return true;
    }
    if (req.method === 'POST') {
      const parsed = EnabledSchema.safeParse(await readBody(req, 4096).then(parseJson, () => undefined));
      if (!parsed.success) {
        sendProblem(res, 400, 'Bad Request', 'The body must be {"enabled": true|false}.', 'VALIDATION_FAILED');
        return true;
      }
      faults.setEnabled(parsed.data.enabled);
    } else if (req.method !== 'GET') {
      sendProblem(res, 405, 'Method Not Allowed', 'GET or POST.', 'METHOD_NOT_ALLOWED', {}, { allow: 'GET, POST' });
      return true;
    }
    sendJson(res, 200, faults.report());
    return true;
  };
}

const EnabledSchema = z.strictObject({ enabled: z.boolean() });

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
