// The pure booking rules: money, pricing, the refund policy, the booking state machine
// and the idempotency fingerprint. No I/O here; the saga and the HTTP triggers call these.
export * from '../money.js';
export * from './pricing.js';
export * from './refund-policy.js';
export * from './state-machine.js';
export * from './fingerprint.js';
export * from './show-cancellation.js';
