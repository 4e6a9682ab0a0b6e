// The pure booking rules: money, pricing, the refund policy, the booking state machine, the
// idempotency fingerprint and the seats an ended attempt gives back. No I/O here; the saga and the
// HTTP triggers call these.
export * from '../money.js';
export * from './pricing.js';
export * from './refund-policy.js';
export * from './state-machine.js';
export * from './fingerprint.js';
export * from './show-cancellation.js';
export * from './release-attempt.js';
