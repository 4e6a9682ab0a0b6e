// Reads every section document of one show from the `inventory` container (partition /showId:
// a single-partition query), for the fan-out's first announcement of a show.
import type { Container } from '@azure/cosmos';
import type { SectionSnapshot } from '../../domain/seat-diff.js';
import type { SeatMap } from '../../domain/section.js';
import type { SectionSource } from '../../realtime/seat-fanout.js';
import { withOutage } from './faults.js';

interface SectionRow {
  sectionId: string;
  version: number;
  seats: SeatMap;
  _etag: string;
}

export function cosmosSectionSource(inventory: Container): SectionSource {
  return async (showId) => {
    const { resources } = await withOutage(() =>
      inventory.items
        .query<SectionRow>(
          {
            query: 'SELECT c.sectionId, c.version, c.seats, c._etag FROM c WHERE c.showId = @showId',
            parameters: [{ name: '@showId', value: showId }],
          },
          { partitionKey: showId },
        )
        .fetchAll(),
    );
    return resources.map((r): SectionSnapshot => ({
      sectionId: r.sectionId,
      version: r.version,
      etag: r._etag,
      seats: r.seats,
    }));
  };
}
