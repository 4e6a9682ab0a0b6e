// The booking's tickets: one card per seat with its QR code (the signed verification code the
// door scanner checks), the show, seat and venue.
import { tickets as loadTickets, type Booking } from '../api/bookings';
import { dateLong, time } from '../format';
import { useAsync } from '../hooks';
import { ErrorBox, Loading } from './ui';
import { Qr } from './qr';
import type { SeatLabels } from '../seats/labels';

const RAW: SeatLabels = { seat: (id) => id, category: (id) => id };

export function Tickets({ b, zone, labels = RAW }: { b: Booking; zone?: string; labels?: SeatLabels }) {
  const t = useAsync(() => loadTickets(b.bookingId), [b.bookingId, b.seatIds.join()]);
  if (t.error) return <ErrorBox error={t.error} retry={t.reload} />;
  if (!t.data) return <Loading label="Loading tickets…" />;
  return (
    <section aria-labelledby="tickets-h">
      <h2 id="tickets-h">Your tickets</h2>
      <ul class="tickets">
        {t.data
          .filter((ticket) => ticket.status !== 'void')
          .map((ticket) => (
            <li key={ticket.seatId} class="ticket" data-seat={ticket.seatId}>
              <Qr text={ticket.code} label={`QR code for seat ${labels.seat(ticket.seatId)}`} />
              <div class="ticket-body">
                <p class="ticket-title">{b.show.title}</p>
                <p>
                  {dateLong(b.show.startsAt, zone)} · {time(b.show.startsAt, zone)}
                </p>
                <p>
                  {b.show.venueName} · {b.show.screenName}
                </p>
                <p class="ticket-seat">
                  Seat <strong>{labels.seat(ticket.seatId)}</strong>
                </p>
                <p class="meta small">
                  {b.show.format} · {b.show.language} · {labels.category(ticket.category)}
                  {ticket.status !== 'valid' ? ` · ${ticket.status}` : ''}
                </p>
                <details>
                  <summary>Code</summary>
                  <code class="ticket-code" data-testid="ticket-code">
                    {ticket.code}
                  </code>
                </details>
              </div>
            </li>
          ))}
      </ul>
    </section>
  );
}
