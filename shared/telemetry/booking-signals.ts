// The business signals of bookings, refunds and deliveries (docs/telemetry.md): one metric point and
// one structured log record each, with the ids as log properties (never as metric attributes: ids
// would make one time series per booking). Cheap when telemetry is off (one boolean test).
import { Metrics, telemetry } from './port.js';

export function bookingEnded(
  outcome: 'confirmed' | 'failed' | 'expired',
  bookingId: string,
  showId?: string,
  code?: string,
) {
  const t = telemetry();
  if (!t.enabled) return;
  t.record(Metrics.bookings, 1, { outcome });
  t.log(outcome === 'confirmed' ? 'info' : 'warn', `booking ${bookingId} ${outcome}`, {
    bookingId,
    showId,
    outcome,
    code,
  });
}

export function holdRefused(code: string, bookingId: string, showId: string) {
  const t = telemetry();
  if (!t.enabled) return;
  t.record(Metrics.holdConflicts, 1, { code });
  t.log('info', `booking ${bookingId}: seats not held (${code})`, { bookingId, showId, code });
}

export function refunded(reason: 'cancel' | 'late_payment', outcome: string, bookingId: string, showId?: string) {
  const t = telemetry();
  if (!t.enabled) return;
  t.record(Metrics.refunds, 1, { reason, outcome });
  t.log(outcome === 'error' ? 'error' : 'info', `booking ${bookingId}: refund (${reason}) ${outcome}`, {
    bookingId,
    showId,
    reason,
    outcome,
  });
}

export function webhookAttempt(
  outcome: 'delivered' | 'retry' | 'failed' | 'gone',
  eventType: string,
  endpointId: string,
) {
  const t = telemetry();
  if (!t.enabled) return;
  t.record(Metrics.webhookDeliveries, 1, { outcome, eventType });
  if (outcome !== 'delivered')
    t.log('warn', `partner webhook to ${endpointId}: ${outcome}`, { endpointId, eventType, outcome });
}

export function notificationSent(
  channel: string,
  outcome: 'sent' | 'skipped' | 'failed' | 'retry',
  kind: string,
  bookingId?: string,
) {
  const t = telemetry();
  if (!t.enabled) return;
  t.record(Metrics.notificationDeliveries, 1, { channel, outcome, kind });
  if (outcome === 'failed' || outcome === 'retry')
    t.log('warn', `notification (${channel}) ${outcome}`, { channel, kind, outcome, bookingId });
}
