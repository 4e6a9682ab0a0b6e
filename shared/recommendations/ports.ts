// What the recommender needs from storage (docs/architecture.md, Recommendations): one signals
// document per user, a city's aggregate shards and a title's co-booking counts, each changed only
// by a mutator applied to the freshest copy (a conditional write, retried on a conflict). A
// document that does not exist yet is created from the empty one the caller gives. The Cosmos
// adapter is shared/adapters/cosmos/recommendation-store.ts, wired in shared/services.ts.
import type { Mutator } from '../ports/documents.js';
import type { CityAggregate, TitleAggregate, UserSignals } from '../domain/recommendations/signals.js';

export interface RecommendationStore {
  user(userId: string): Promise<UserSignals | undefined>;
  /**
   * Applies `fn` to the user's document, or to `empty` when there is none yet (without `empty`, a
   * missing document stays missing). Answers the document as it ended.
   */
  mutateUser(userId: string, fn: Mutator<UserSignals>, empty?: UserSignals): Promise<UserSignals | undefined>;
  /** Every shard of the city's aggregates that exists. */
  cityShards(city: string): Promise<CityAggregate[]>;
  /** Applies `fn` to the shard `empty` names (its id and key), or to `empty` when it does not exist. */
  mutateCity(empty: CityAggregate, fn: Mutator<CityAggregate>): Promise<void>;
  /** The co-booking document of a title, if anyone booked it with another. */
  title(movieId: string): Promise<TitleAggregate | undefined>;
  mutateTitle(empty: TitleAggregate, fn: Mutator<TitleAggregate>): Promise<void>;
}
