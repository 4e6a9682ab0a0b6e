// GET /api/realtime/negotiate (functions/realtime-negotiate.ts): a client URL allowed to join only
// the show's group, pre-joined; a signed-in caller's URL also carries their user id, so private
// messages (their holds, their booking status) reach them and nobody else.
import type { CatalogService } from '../catalog/service.js';
import { showGroup } from '../contracts/realtime.js';
import type { ClientAccess, RealtimePublisher } from '../ports/realtime.js';

export interface NegotiateDeps {
  catalog: Pick<CatalogService, 'show'>;
  realtime: RealtimePublisher;
  tokenMinutes: number;
}

export interface Negotiated extends ClientAccess {
  showId: string;
  userId?: string;
}

/** Undefined when the show does not exist. */
export async function negotiate(
  deps: NegotiateDeps,
  showId: string,
  userId: string | undefined,
): Promise<Negotiated | undefined> {
  const show = await deps.catalog.show(showId);
  if (!show) return undefined;
  const access = await deps.realtime.clientAccess({
    groups: [showGroup(showId)],
    minutes: deps.tokenMinutes,
    ...(userId ? { userId } : {}),
  });
  return { ...access, showId, ...(userId ? { userId } : {}) };
}
