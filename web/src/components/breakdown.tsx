// The price breakdown of a booking: one line per seat (ticket, convenience fee, GST on the fee),
// then the totals, all from the server's integer minor units.
import type { Money, PriceBreakdown } from '../api/types';
import { money } from '../format';
import type { SeatLabels } from '../seats/labels';

const RAW: SeatLabels = { seat: (id) => id, category: (id) => id };

export function BreakdownTable({
  price,
  caption,
  charged,
  labels = RAW,
}: {
  price: PriceBreakdown;
  caption: string;
  charged?: Money;
  /** Seat and category names as on the map (ids until the layout is loaded). */
  labels?: SeatLabels;
}) {
  const taxOnTickets = price.lines.some((l) => l.ticketTax.minor > 0);
  return (
    <table class="breakdown">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Seat</th>
          <th scope="col">Ticket</th>
          {taxOnTickets && <th scope="col">Tax</th>}
          <th scope="col">Fee</th>
          <th scope="col">GST on fee</th>
          <th scope="col">Amount</th>
        </tr>
      </thead>
      <tbody>
        {price.lines.map((l) => (
          <tr key={l.seatId}>
            <th scope="row">
              {labels.seat(l.seatId)} <span class="meta small">{labels.category(l.category)}</span>
            </th>
            <td>{money(l.ticket)}</td>
            {taxOnTickets && <td>{money(l.ticketTax)}</td>}
            <td>{money(l.fee)}</td>
            <td>{money(l.feeTax)}</td>
            <td>{money(l.total)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Tickets</th>
          <td colSpan={taxOnTickets ? 5 : 4}>{money(price.tickets)}</td>
        </tr>
        <tr>
          <th scope="row">Convenience fees</th>
          <td colSpan={taxOnTickets ? 5 : 4}>{money(price.fees)}</td>
        </tr>
        <tr>
          <th scope="row">Taxes</th>
          <td colSpan={taxOnTickets ? 5 : 4}>{money(price.taxes)}</td>
        </tr>
        <tr class="total">
          <th scope="row">Total</th>
          <td colSpan={taxOnTickets ? 5 : 4} data-testid="total">
            {money(price.total)}
          </td>
        </tr>
        {charged && charged.minor !== price.total.minor && (
          <tr>
            <th scope="row">Charged at booking</th>
            <td colSpan={taxOnTickets ? 5 : 4}>{money(charged)}</td>
          </tr>
        )}
      </tfoot>
    </table>
  );
}
