// The recommender's documents in Cosmos DB (docs/architecture.md, Data model): `recommendations`
// (/userId) holds one signals document per user, id = user id; `recommendation-aggregates` (/key)
// holds a city's trending shards (key `city:<id>`, id `city:<id>:<shard>`) and each title's
// co-booking counts (key = id = `title:<movieId>`). Every change is a conditional replace of the
// freshest copy (conditional-replace.ts), or a create when the document does not exist yet.
import type { Container } from '@azure/cosmos';
import type { Mutator } from '../../ports/documents.js';
import type { RecommendationStore } from '../../recommendations/ports.js';
import type { CityAggregate, TitleAggregate, UserSignals } from '../../domain/recommendations/signals.js';
import { CITY_SHARDS } from '../../domain/recommendations/signals.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { createOnce, readDoc, storedOf } from './documents.js';

/** Mutates the document, creating it from `empty` when missing; a racing create falls back to the replace loop. */
async function mutateOrCreate<T extends { id: string }>(
  container: Container,
  id: string,
  pk: string,
  fn: Mutator<T>,
  empty: T | undefined,
): Promise<T | undefined> {
  for (;;) {
    const current = await readDoc<T>(container, id, pk);
    if (current) return (await conditionalReplace(container, id, pk, fn, { known: current }))?.doc;
    if (!empty) return undefined;
    const first = fn(empty);
    if (!first) return undefined;
    const created = await createOnce(container, first);
    if (created) return storedOf<T>(created).doc;
  }
}

export function cosmosRecommendationStore(cosmos: Cosmos): RecommendationStore {
  const users = cosmos.container('recommendations');
  const aggregates = cosmos.container('recommendation-aggregates');
  return {
    async user(userId) {
      return (await readDoc<UserSignals>(users, userId, userId))?.doc;
    },
    mutateUser(userId, fn, empty) {
      return mutateOrCreate(users, userId, userId, fn, empty);
    },
    async cityShards(city) {
      // Point reads of the known shard ids: cheaper than a query, and the same on any Cosmos.
      const key = `city:${city}`;
      const shards = await Promise.all(
        Array.from({ length: CITY_SHARDS }, (_, i) => readDoc<CityAggregate>(aggregates, `${key}:${i}`, key)),
      );
      return shards.flatMap((s) => (s ? [s.doc] : []));
    },
    async mutateCity(empty, fn) {
      await mutateOrCreate(aggregates, empty.id, empty.key, fn, empty);
    },
    async title(movieId) {
      const key = `title:${movieId}`;
      return (await readDoc<TitleAggregate>(aggregates, key, key))?.doc;
    },
    async mutateTitle(empty, fn) {
      await mutateOrCreate(aggregates, empty.id, empty.key, fn, empty);
    },
  };
}
