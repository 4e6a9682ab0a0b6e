// The recommender's documents in Cosmos DB (docs/architecture.md, Data model): `recommendations`
// (/userId) holds one signals document per user, id = user id; `recommendation-aggregates` (/key)
// holds a city's trending shards (key `city:<id>`, id `city:<id>:<shard>`) and each title's
// co-booking counts (key = id = `title:<movieId>`). Every change is a conditional replace of the
// freshest copy (conditional-replace.ts), or a create when the document does not exist yet; the
// copy is the one this process last wrote when it has it (LastWritten below), else a point read.
import type { Container } from '@azure/cosmos';
import type { Mutator, Stored } from '../../ports/documents.js';
import type { RecommendationStore } from '../../recommendations/ports.js';
import type { CityAggregate, TitleAggregate, UserSignals } from '../../domain/recommendations/signals.js';
import { CITY_SHARDS } from '../../domain/recommendations/signals.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { cosmosStatusOf, createOnce, readDoc, storedOf } from './documents.js';

/**
 * The version of each document this process last wrote (bounded, oldest out): the next change of
 * the same document starts from it instead of reading it again. The write is conditional on its
 * ETag, so a copy another writer has overtaken costs a 412 and a normal read-and-retry, never a lost
 * update. Pays off where one process changes the same documents over and over: a user's document is
 * written by the event and again by its acknowledgement; a city's shards and hot titles' co-booking
 * documents by every booking (shared/recommendations/service.ts batches those per document).
 */
class LastWritten<T> {
  private readonly docs = new Map<string, Stored<T>>();
  constructor(private readonly max: number) {}
  get(id: string): Stored<T> | undefined {
    return this.docs.get(id);
  }
  set(id: string, stored: Stored<T> | undefined): void {
    this.docs.delete(id);
    if (!stored) return;
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value!);
    this.docs.set(id, stored);
  }
}

/** Mutates the document, creating it from `empty` when missing; a racing create falls back to the replace loop. */
async function mutateOrCreate<T extends { id: string }>(
  container: Container,
  id: string,
  pk: string,
  fn: Mutator<T>,
  empty: T | undefined,
  last: LastWritten<T>,
): Promise<T | undefined> {
  for (;;) {
    const remembered = last.get(id);
    const current = remembered ?? (await readDoc<T>(container, id, pk));
    if (current) {
      let stored: Stored<T> | undefined;
      try {
        stored = await conditionalReplace(container, id, pk, fn, { known: current });
      } catch (err) {
        // The document went away since this process wrote it: forget the copy and start over.
        last.set(id, undefined);
        if (remembered && cosmosStatusOf(err) === 404) continue;
        throw err;
      }
      last.set(id, stored);
      return stored?.doc;
    }
    if (!empty) return undefined;
    const first = fn(empty);
    if (!first) return undefined;
    const created = await createOnce(container, first);
    if (created) {
      const stored = storedOf<T>(created);
      last.set(id, stored);
      return stored.doc;
    }
  }
}

export function cosmosRecommendationStore(cosmos: Cosmos): RecommendationStore {
  const users = cosmos.container('recommendations');
  const aggregates = cosmos.container('recommendation-aggregates');
  const lastUsers = new LastWritten<UserSignals>(1_000);
  const lastCities = new LastWritten<CityAggregate>(1_000);
  const lastTitles = new LastWritten<TitleAggregate>(2_000);
  return {
    async user(userId) {
      return (await readDoc<UserSignals>(users, userId, userId))?.doc;
    },
    mutateUser(userId, fn, empty) {
      return mutateOrCreate(users, userId, userId, fn, empty, lastUsers);
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
      await mutateOrCreate(aggregates, empty.id, empty.key, fn, empty, lastCities);
    },
    async title(movieId) {
      const key = `title:${movieId}`;
      return (await readDoc<TitleAggregate>(aggregates, key, key))?.doc;
    },
    async mutateTitle(empty, fn) {
      await mutateOrCreate(aggregates, empty.id, empty.key, fn, empty, lastTitles);
    },
  };
}
