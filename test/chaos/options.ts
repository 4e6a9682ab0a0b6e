// What a chaos run does: how long, how many users, which faults at which rates (the host's
// LOCAL_FAULTS_* settings, local/README.md, Fault injection), the app's settings scaled down so
// holds, reconciler passes and refund retries happen within seconds, and how many host crashes.
//
// Restarts: a crash (SIGKILL of the host, or of its process group: `crash`) followed by a restart
// only makes sense when the host keeps its state in a data folder — the embedded Cosmos server,
// Azurite and the payment simulator on disk. `restarts` > 0 starts every host of the run with
// `dataEnv`, each value's "{data}" replaced by the run's own fresh folder.
import type { CrashKind } from './host.js';

export interface ChaosOptions {
  seed: number;
  /** Load phase, with faults on. */
  durationMs: number;
  /** Concurrent virtual users. */
  users: number;
  /** Shows to book (half far ahead: full refunds; half within the partial-refund window). */
  shows: number;
  /** Seats per show (rows of 20). */
  seatsPerShow: number;
  /** Longest wait for the system to settle after the load, with faults off. */
  settleMs: number;
  /** Host crashes + restarts during the load. */
  restarts: number;
  /** What a crash kills: the host process (the bar), or its whole process group (test/chaos/host.ts). */
  crash: CrashKind;
  /** Settings that keep the host's data in a folder ("{data}" is the run's folder). */
  dataEnv: Record<string, string>;
  /** LOCAL_FAULTS_* settings for the host. */
  faults: Record<string, string>;
  /** App settings scaled for the run. */
  app: Record<string, string>;
}

const HOLD_TTL_SECONDS = 8;

export const APP_SETTINGS: Record<string, string> = {
  HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
  RECONCILE_SCHEDULE: '*/3 * * * * *',
  RECONCILE_GRACE_SECONDS: '3',
  CANCEL_REFUND_RETRY_MS: '500',
  // The payment breaker keeps its production cooldown: an outage that opens it is part of the test.
};

/** The reconciler may take its grace plus a pass or two to notice a booking past its deadline. */
export const STUCK_GRACE_MS = 3_000 + 2 * 3_000 + 5_000;

export const FAULTS: Record<string, string> = {
  LOCAL_FAULTS_COSMOS_429: '0.05',
  LOCAL_FAULTS_COSMOS_503: '0.01',
  LOCAL_FAULTS_COSMOS_TIMEOUT: '0.003',
  LOCAL_FAULTS_COSMOS_TIMEOUT_MS: '2000',
  LOCAL_FAULTS_PAYMENTS_ERROR: '0.1',
  LOCAL_FAULTS_PAYMENTS_LATENCY: '0.1',
  LOCAL_FAULTS_PAYMENTS_LATENCY_MS: '2000',
  // One outage a minute (from the start of the load): long enough to open the payment breaker,
  // which then stays open for its cooldown.
  LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: '60000',
  LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: '3000',
  LOCAL_FAULTS_WEBHOOK_LOSS: '0.2',
  LOCAL_FAULTS_WEBHOOK_DUPLICATE: '0.2',
  LOCAL_FAULTS_WEBHOOK_DELAY: '0.2',
  // Up to past the hold's expiry: some payments arrive after the saga gave up on them.
  LOCAL_FAULTS_WEBHOOK_DELAY_MS: String((HOLD_TTL_SECONDS + 4) * 1000),
  LOCAL_FAULTS_ACTIVITY_CRASH: '0.05',
  LOCAL_FAULTS_ACTIVITY_REDELIVERY_MS: '500',
};

export function fullOptions(): ChaosOptions {
  return {
    seed: 1,
    durationMs: 120_000,
    users: 24,
    shows: 4,
    seatsPerShow: 100,
    settleMs: 120_000,
    restarts: 2,
    crash: 'host',
    dataEnv: {},
    faults: FAULTS,
    app: APP_SETTINGS,
  };
}

/** The shortened run inside `npm test`: a small load for a short time, the same faults. */
export function ciOptions(): ChaosOptions {
  return {
    ...fullOptions(),
    durationMs: 20_000,
    users: 8,
    shows: 2,
    seatsPerShow: 60,
    settleMs: 60_000,
    // One SIGKILL of the host and a restart, on the run's own data folder: Durable state, the Cosmos
    // journal and the simulator's books survive it (local/README.md, Data folder).
    restarts: 1,
    crash: 'host',
    // One outage, 12 s into the load.
    faults: { ...FAULTS, LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: '12000', LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: '2000' },
  };
}
