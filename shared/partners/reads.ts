// What a partner may read with its own token (docs/webhooks.md, The partner API): its endpoints, their
// deliveries, and the bookings and shows its deliveries named — read-only, public fields only. A
// booking or show no delivery of the partner's named answers 404, as if it did not exist.
import { notFound } from '../errors.js';
import type { BookingDoc } from '../booking/model.js';
import type { Show } from '../domain/catalog.js';
import type { Delivery, PartnerEndpoint } from './model.js';
import type { DeliveryLog, DeliveryQuery, EndpointStore } from './ports.js';

export interface PartnerReadsDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryLog;
  booking: (bookingId: string) => Promise<BookingDoc | undefined>;
  show: (showId: string) => Promise<Show | undefined>;
}

export class PartnerReads {
  constructor(private readonly deps: PartnerReadsDeps) {}

  endpoints(partnerId: string): Promise<PartnerEndpoint[]> {
    return this.deps.endpoints.list(partnerId);
  }

  async deliveries(partnerId: string, endpointId: string, q: DeliveryQuery) {
    const endpoint = await this.deps.endpoints.get(endpointId);
    if (!endpoint || endpoint.partnerId !== partnerId) throw notFound(`Endpoint ${endpointId}`);
    return this.deps.deliveries.list(endpointId, q);
  }

  async booking(partnerId: string, bookingId: string) {
    if (!(await this.named(partnerId, { bookingId }))) throw notFound(`Booking ${bookingId}`);
    const doc = await this.deps.booking(bookingId);
    if (!doc) throw notFound(`Booking ${bookingId}`);
    return {
      bookingId: doc.id,
      showId: doc.showId,
      show: { title: doc.show.title, venueName: doc.show.venueName, startsAt: doc.show.startsAt },
      status: doc.status,
      seatIds: doc.seatIds,
      total: doc.price.total,
      updatedAt: doc.updatedAt,
    };
  }

  async show(partnerId: string, showId: string) {
    if (!(await this.named(partnerId, { showId }))) throw notFound(`Show ${showId}`);
    const show = await this.deps.show(showId);
    if (!show) throw notFound(`Show ${showId}`);
    const { id, city, movieId, kind, title, venueId, venueName, screenName, startsAt, endsAt, language, format } = show;
    return {
      id,
      city,
      movieId,
      kind,
      title,
      venueId,
      venueName,
      screenName,
      startsAt,
      endsAt,
      language,
      format,
      status: show.status,
    };
  }

  private async named(partnerId: string, ref: Pick<Delivery, 'bookingId'> | Pick<Delivery, 'showId'>) {
    const mine = await this.deps.endpoints.list(partnerId);
    return this.deps.deliveries.mentions(
      mine.map((e) => e.id),
      ref,
    );
  }
}
