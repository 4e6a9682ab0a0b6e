// The provider's own books, GET <base>/v1/_simulator/ledger: every session (with the booking and
// attempt it was created for), every payment taken and every refund made. A chaos run balances the
// app's bookings against it (test/chaos/invariants.ts); a developer can read it to see where money went.
import type { SimulatorStore } from './store.js';

export interface Ledger {
  sessions: {
    id: string;
    bookingId: string;
    attemptId: string;
    status: string;
    amount: { minor: number; currency: string };
    paymentId?: string;
  }[];
  payments: { id: string; sessionId: string; amount: { minor: number; currency: string }; refunded: number }[];
  refunds: { id: string; paymentId: string; amount: { minor: number; currency: string }; createdAt: string }[];
}

export function ledger(store: SimulatorStore): Ledger {
  return {
    sessions: [...store.sessions.keys()].map((id) => {
      const s = store.session(id)!;
      return {
        id: s.id,
        bookingId: s.request.bookingId,
        attemptId: s.request.attemptId,
        status: s.status,
        amount: s.request.amount,
        ...(s.paymentId ? { paymentId: s.paymentId } : {}),
      };
    }),
    payments: [...store.payments.values()].map((p) => ({
      id: p.id,
      sessionId: p.sessionId,
      amount: p.amount,
      refunded: p.refunded,
    })),
    refunds: [...store.refunds.values()].map((r) => ({
      id: r.id,
      paymentId: r.paymentId,
      amount: r.amount,
      createdAt: r.createdAt,
    })),
  };
}
