// The waiting room's pure rules (docs/architecture.md, Waiting room).
export * from './order.js';
export * from './admission.js';
export * from './claims.js';
export * from './ledger.js';
export * from './use.js';
export * from './pressure.js';
