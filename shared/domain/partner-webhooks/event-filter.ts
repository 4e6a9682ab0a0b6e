// Which partner endpoints an event goes to: the endpoint is enabled, subscribes to the event's type,
// and its filter (if any) admits the show the event is about. A filter's fields are ANDed; within a
// field, any listed value matches. An event whose show is unknown passes only filters that name
// nothing about shows.

export interface EndpointFilter {
  city?: string;
  venueIds?: string[];
  showIds?: string[];
}

export interface ShowFacts {
  showId: string;
  city?: string;
  venueId?: string;
}

export interface Subscriber {
  status: 'enabled' | 'disabled';
  events: readonly string[];
  filter?: EndpointFilter;
}

export function wants(endpoint: Subscriber, eventType: string, show: ShowFacts): boolean {
  if (endpoint.status !== 'enabled' || !endpoint.events.includes(eventType)) return false;
  const f = endpoint.filter;
  if (!f) return true;
  if (f.city !== undefined && f.city !== show.city) return false;
  if (f.venueIds?.length && (show.venueId === undefined || !f.venueIds.includes(show.venueId))) return false;
  if (f.showIds?.length && !f.showIds.includes(show.showId)) return false;
  return true;
}
