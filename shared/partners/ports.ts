// What the partner-webhook use-cases need from outside (docs/architecture.md, Partner webhooks). The
// adapters: shared/adapters/cosmos/partner-{endpoints,deliveries}.ts, the signing-secret stores in
// shared/adapters/keyvault/ (Key Vault) and shared/adapters/cosmos/ (the local store), the HTTP sender
// in shared/adapters/webhooks/, and the Durable client for retries (orchestrations/partner-webhooks.ts).
import type { Mutator, Stored } from '../ports/documents.js';
import type { CloudEvent } from '../booking/events.js';
import type { Delivery, DeliveryStatus, PartnerEndpoint } from './model.js';

export interface EndpointStore {
  create(endpoint: PartnerEndpoint): Promise<void>;
  get(id: string): Promise<PartnerEndpoint | undefined>;
  /** Every endpoint (operators have tens, not thousands), or one partner's. */
  list(partnerId?: string): Promise<PartnerEndpoint[]>;
  /** Conditional read-modify-write; undefined when the endpoint does not exist. */
  mutate(id: string, fn: Mutator<PartnerEndpoint>): Promise<PartnerEndpoint | undefined>;
  remove(id: string): Promise<boolean>;
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  eventType?: string;
  bookingId?: string;
  /** Created at or after (ISO). */
  since?: string;
  limit: number;
  /** Opaque, from the previous page. */
  cursor?: string;
}

export interface DeliveryLog {
  /** Inserts the delivery (answering its version); the stored copy when one with its id exists already. */
  createOnce(
    delivery: Delivery,
  ): Promise<{ created: true; stored: Stored<Delivery> } | { created: false; existing: Stored<Delivery> }>;
  get(endpointId: string, id: string): Promise<Delivery | undefined>;
  /** The same with its version, which a `mutate` right after takes as `known` (one read less). */
  read(endpointId: string, id: string): Promise<Stored<Delivery> | undefined>;
  /** Conditional read-modify-write; `known`, a version just written, spares the first read. */
  mutate(
    endpointId: string,
    id: string,
    fn: Mutator<Delivery>,
    known?: Stored<Delivery>,
  ): Promise<Delivery | undefined>;
  /** Newest first. */
  list(endpointId: string, q: DeliveryQuery): Promise<{ items: Delivery[]; cursor?: string }>;
  /** Whether any of these endpoints was sent something about the booking (or show). */
  mentions(endpointIds: string[], ref: { bookingId?: string; showId?: string }): Promise<boolean>;
}

/** Where endpoint signing secrets are kept: Key Vault in Azure, a local store on a laptop. */
export interface SigningSecrets {
  put(name: string, value: string): Promise<void>;
  get(name: string): Promise<string>;
  remove(name: string): Promise<void>;
}

export type SendResult =
  | { ok: boolean; statusCode: number; latencyMs: number; response: string }
  | { ok: false; statusCode?: undefined; latencyMs: number; error: string };

/** POSTs a delivery; refuses (as an error result) addresses the URL policy forbids, at connect time. */
export interface WebhookSender {
  post(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
}

/** Starts the durable retry of a delivery run (a timer per pause, not a sleeping process). */
export interface RetryStarter {
  start(input: RetryInput): Promise<void>;
  /** Starts one durable retry for several runs to one endpoint (shared/partners/retry-batches.ts). */
  startBatch(input: RetryBatchInput): Promise<void>;
}

/** The durable retry of several delivery runs to one endpoint, from the same attempt on. */
export interface RetryBatchInput {
  /** The instance id; also what the pauses' jitter is derived from. */
  batchId: string;
  endpointId: string;
  deliveries: { deliveryId: string; run: number }[];
  /** The next attempt's number (2 = the first retry). */
  attempt: number;
  schedule: number[];
}

export interface RetryInput {
  endpointId: string;
  deliveryId: string;
  run: number;
  /** The next attempt's number (2 = the first retry). */
  attempt: number;
  /** The pauses, fixed when the run starts so replays see the same schedule. */
  schedule: number[];
}

/** Re-derives an event from committed state: the event as the app would publish it now, or undefined. */
export type EventVerifier = (event: CloudEvent) => Promise<CloudEvent | undefined>;

/** Where the facts a filter needs about a show come from (the catalog). */
export type ShowLookup = (showId: string) => Promise<{ city: string; venueId: string } | undefined>;
