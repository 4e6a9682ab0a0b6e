// Money lives in shared/domain/money.ts (catalog and bookings share it); the booking rules keep
// importing it from here.
export * from '../money.js';
