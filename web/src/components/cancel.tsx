// Cancel all or some seats: choose, see the refund quote (tier, refund, fees kept), then confirm.
// The cancel request carries an Idempotency-Key so a retried click cancels once.
import { useState } from 'preact/hooks';
import { cancel, refundQuote, type Booking, type RefundQuote } from '../api/bookings';
import { ApiError } from '../api/client';
import { money } from '../format';
import { ErrorBox } from './ui';
import type { SeatLabels } from '../seats/labels';

const RAW: SeatLabels = { seat: (id) => id, category: (id) => id };

export function CancelPanel({
  b,
  onChanged,
  labels = RAW,
}: {
  b: Booking;
  onChanged: (b: Booking) => void;
  labels?: SeatLabels;
}) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>(b.seatIds);
  const [quote, setQuote] = useState<RefundQuote>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(() => crypto.randomUUID());
  if (Date.parse(b.show.startsAt) <= Date.now()) return null;
  if (b.show.nonRefundable)
    return (
      <p class="meta" data-testid="non-refundable">
        Tickets for this show are non-refundable and cannot be cancelled.
      </p>
    );

  const getQuote = async () => {
    setBusy(true);
    setError(undefined);
    setQuote(undefined);
    try {
      setQuote(await refundQuote(b.bookingId, chosen));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const seats = quote?.cancellable ? quote.seatIds : chosen;
      onChanged(await cancel(b.bookingId, seats, `${key}:${[...seats].sort().join(',')}`));
      setOpen(false);
    } catch (err) {
      setError(err instanceof ApiError ? err : (err as Error));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <p>
        <button type="button" class="btn btn-ghost" onClick={() => setOpen(true)}>
          Cancel tickets…
        </button>
      </p>
    );
  }
  return (
    <section class="card cancel" aria-labelledby="cancel-h">
      <h2 id="cancel-h">Cancel tickets</h2>
      <fieldset>
        <legend>Seats to cancel</legend>
        {b.seatIds.map((s) => (
          <label key={s} class="check">
            <input
              type="checkbox"
              checked={chosen.includes(s)}
              onChange={(e) => {
                setQuote(undefined);
                setChosen((c) => (e.currentTarget.checked ? [...c, s] : c.filter((x) => x !== s)));
              }}
            />{' '}
            {labels.seat(s)}
          </label>
        ))}
      </fieldset>
      {error && <ErrorBox error={error} />}
      {!quote ? (
        <p>
          <button type="button" class="btn" disabled={!chosen.length || busy} onClick={() => void getQuote()}>
            See refund
          </button>{' '}
          <button type="button" class="btn btn-ghost" onClick={() => setOpen(false)}>
            Keep my tickets
          </button>
        </p>
      ) : !quote.cancellable ? (
        <div class="notice notice-warn" role="alert" data-testid="refund-quote">
          <p>These seats cannot be cancelled: {quote.detail}</p>
          <p>
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setQuote(undefined);
                setOpen(false);
              }}
            >
              Close
            </button>
          </p>
        </div>
      ) : (
        <div class="quote" role="status" data-testid="refund-quote">
          <p>
            Cancelling {quote.seatIds.map(labels.seat).join(', ')}
            {quote.whole ? ' (the whole booking)' : ''} refunds{' '}
            <strong data-testid="refund-amount">{money(quote.refund)}</strong>.
          </p>
          <p class="meta">
            {quote.refundBp / 100}% of the ticket value ({money(quote.ticketValue)}) comes back. Convenience fees and
            their GST ({money(quote.feesKept)}) are not refunded.
            {quote.remainingSeatIds.length ? ` You keep ${quote.remainingSeatIds.map(labels.seat).join(', ')}.` : ''}
          </p>
          <p>
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void confirm()}>
              Confirm cancellation
            </button>{' '}
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setQuote(undefined);
                setOpen(false);
              }}
            >
              Keep my tickets
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
