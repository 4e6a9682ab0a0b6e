// What a booking cost: charged at confirmation, refunded by cancellations, and the net paid — the
// server's figures (BookingView charged/refunded/net), never recomputed here.
import type { Booking } from '../api/bookings';
import { money } from '../format';

export function MoneySummary({ b, compact = false }: { b: Booking; compact?: boolean }) {
  if (!b.charged) return null;
  const refunded = b.refunded && b.refunded.minor > 0 ? b.refunded : undefined;
  if (compact)
    return (
      <span class="money-line" data-testid="money">
        Paid <span data-money="charged">{money(b.charged)}</span>
        {refunded && b.net && (
          <>
            {' '}
            · refunded <span data-money="refunded">{money(refunded)}</span> · net{' '}
            <strong data-money="net">{money(b.net)}</strong>
          </>
        )}
      </span>
    );
  return (
    <dl class="money-summary" data-testid="money">
      <dt>Charged</dt>
      <dd data-money="charged">{money(b.charged)}</dd>
      <dt>Refunded</dt>
      <dd data-money="refunded">{money(b.refunded ?? { minor: 0, currency: b.charged.currency })}</dd>
      <dt>Net paid</dt>
      <dd data-money="net">
        <strong>{money(b.net ?? b.charged)}</strong>
      </dd>
    </dl>
  );
}
