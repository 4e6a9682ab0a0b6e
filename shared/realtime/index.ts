// Realtime seat maps (docs/architecture.md, Realtime; docs/realtime.md): negotiate, and the change-feed fan-out
// with its per-show coalescing. The Web PubSub adapter is in shared/adapters/webpubsub.
export { Coalescer, type CoalescerOptions } from './coalescer.js';
export { negotiate, type NegotiateDeps, type Negotiated } from './negotiate.js';
export { SeatFanout, snapshotOf, type FanoutStats, type SeatFanoutOptions, type SectionSource } from './seat-fanout.js';
