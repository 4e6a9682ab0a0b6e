// The usage meter (local/README.md, Usage meter): what the app made the emulated Azure services do,
// counted where the host plays each service, so a run can be turned into counts per unit of work
// and priced (bench/cost/). It knows no app: function executions by trigger type, Cosmos DB requests
// by operation with their sizes and RU, storage calls by service, Durable actions, Service Bus
// messages, Web PubSub deliveries, ACS sends and other outbound HTTP calls by origin.
//
// Every count is a plain integer field bumped at the boundary (no allocation, no clock). Outgoing
// HTTP is seen through Node's diagnostics channels (`http.client.response.finish` for node:http,
// which the Azure SDKs use; `undici:request:create` for fetch), so no client is wrapped; a channel
// with no subscriber costs nothing, and with one a lookup of the Host header in a small map.
// One meter per process, like the process's HTTP agents: a host is one process.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { COSMOS_OPERATIONS, cosmosOperation, estimateRu, type CosmosOperation } from './cosmos-ru.js';

/** A service the host plays (or the app's own calls elsewhere), as a destination of outgoing HTTP. */
export type Target = 'cosmos' | 'blob' | 'queue' | 'table' | 'webPubSub' | 'communication' | 'self';

export interface CosmosCount {
  /** Requests answered (any status). */
  requests: number;
  /** Answered 4xx/5xx (404 read, 409 create, 412 precondition, …); 429s are `throttled`. */
  failed: number;
  throttled: number;
  requestBytes: number;
  responseBytes: number;
  /** Items returned (x-ms-item-count) by queries and feeds. */
  items: number;
  /** RU from the published rules (core/cosmos-ru.ts). */
  ruEstimated: number;
  /** Sum of x-ms-request-charge, from an account that reports real charges (not the embedded server). */
  ruCharged: number;
}

export interface ContainerCount {
  requests: number;
  writes: number;
  writeBytes: number;
  changeFeedReads: number;
  ruEstimated: number;
  ruCharged: number;
}

const emptyCosmos = (): CosmosCount => ({
  requests: 0,
  failed: 0,
  throttled: 0,
  requestBytes: 0,
  responseBytes: 0,
  items: 0,
  ruEstimated: 0,
  ruCharged: 0,
});

function counters() {
  return {
    /** Function executions by trigger type (orchestrator episodes are executions, as billed on Azure). */
    functions: {} as Record<string, number>,
    cosmos: Object.fromEntries(COSMOS_OPERATIONS.map((op) => [op, emptyCosmos()])) as Record<
      CosmosOperation,
      CosmosCount
    >,
    /**
     * Cosmos DB requests by container (metadata, query plans and change-feed reads left out):
     * successful writes and their document bytes, RU; `changeFeedReads` marks a container the
     * change feed reads.
     */
    cosmosContainers: {} as Record<string, ContainerCount>,
    /** Calls to the storage account (Azurite) by service; a table batch is one call. */
    storage: { blob: 0, queue: 0, table: 0 },
    /** What the Durable engine did; `actions` is what the Durable Task Scheduler bills. */
    durable: {
      orchestrationsStarted: 0,
      episodes: 0,
      activitiesScheduled: 0,
      activityResults: 0,
      timersCreated: 0,
      timersFired: 0,
      eventsRaised: 0,
      subOrchestrationsStarted: 0,
      subOrchestrationResults: 0,
    },
    serviceBus: {
      /** Messages sent to a queue or topic (one per message, whatever the subscriptions). */
      sent: 0,
      /** Copies enqueued: one per subscription of a topic (or the queue). */
      enqueued: 0,
      received: 0,
      completed: 0,
      abandoned: 0,
      deadLettered: 0,
    },
    webPubSub: {
      /** Messages delivered to client connections (one per connection reached). */
      delivered: 0,
      bytesDelivered: 0,
      /** Billed messages: each delivery counts per started 2 KB. */
      billableMessages: 0,
    },
    communication: { emails: 0, emailRecipients: 0, sms: 0 },
    /** Outgoing HTTP requests by destination: a played service, or the origin of anything else (webhooks). */
    http: {} as Record<string, number>,
  };
}

export type UsageCounters = ReturnType<typeof counters>;

export class UsageMeter {
  c: UsageCounters = counters();
  private since = new Date();
  private readonly targets = new Map<string, { target: Target; charged: boolean }>();
  private subscribed = false;

  /** Outgoing requests to this origin are calls to `target`; `charged`: its x-ms-request-charge is real. */
  watch(target: Target, origin: string | undefined, charged = false): void {
    if (!origin) return;
    try {
      this.targets.set(new URL(origin).host, { target, charged });
    } catch {
      return; // not a URL: nothing to recognise
    }
    this.subscribe();
  }

  reset(): void {
    this.c = counters();
    this.since = new Date();
  }

  snapshot(): UsageCounters & { since: string; now: string; durableActions: number } {
    const d = this.c.durable;
    // The Durable Task Scheduler's billing unit (docs/capacity.md): a start, an activity's schedule
    // and its result, a timer firing, an external event, a sub-orchestration's start and result.
    const durableActions =
      d.orchestrationsStarted +
      d.activitiesScheduled +
      d.activityResults +
      d.timersFired +
      d.eventsRaised +
      d.subOrchestrationsStarted +
      d.subOrchestrationResults;
    return {
      since: this.since.toISOString(),
      now: new Date().toISOString(),
      ...structuredClone(this.c),
      durableActions,
    };
  }

  execution(triggerType: string): void {
    const f = this.c.functions;
    f[triggerType] = (f[triggerType] ?? 0) + 1;
  }

  private subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    subscribe('http.client.response.finish', this.onResponse);
    subscribe('undici:request:create', this.onFetch);
  }

  stop(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    unsubscribe('http.client.response.finish', this.onResponse);
    unsubscribe('undici:request:create', this.onFetch);
  }

  private readonly onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const hostHeader = String(request.getHeader('host') ?? request.host);
    const known = this.targets.get(hostHeader);
    const target = known?.target ?? (/\.documents\.azure\.(com|cn|us)(:\d+)?$/.test(hostHeader) ? 'cosmos' : undefined);
    const h = this.c.http;
    const key = target ?? hostHeader;
    h[key] = (h[key] ?? 0) + 1;
    if (target === 'cosmos') this.cosmosCall(request, response, known?.charged ?? true);
    else if (target === 'table' || target === 'queue' || target === 'blob') this.c.storage[target]++;
  };

  private readonly onFetch = (message: unknown): void => {
    const { request } = message as { request: { origin: string } };
    let host: string;
    try {
      host = new URL(request.origin).host;
    } catch {
      return;
    }
    const target = this.targets.get(host)?.target;
    const h = this.c.http;
    const key = target ?? request.origin;
    h[key] = (h[key] ?? 0) + 1;
    if (target === 'table' || target === 'queue' || target === 'blob') this.c.storage[target]++;
  };

  private cosmosCall(request: ClientRequest, response: IncomingMessage, charged: boolean): void {
    const op = cosmosOperation(request.method, request.path, (name) => request.getHeader(name));
    const c = this.c.cosmos[op];
    const status = response.statusCode ?? 0;
    const sent = Number(request.getHeader('content-length') ?? 0) || 0;
    const got = Number(response.headers['content-length'] ?? 0) || 0;
    const items = Number(response.headers['x-ms-item-count'] ?? 0) || 0;
    c.requests++;
    if (status === 429) c.throttled++;
    else if (status >= 400) c.failed++;
    c.requestBytes += sent;
    c.responseBytes += got;
    c.items += items;
    const ru = estimateRu(op, status, sent, got, items);
    const charge = charged ? Number(response.headers['x-ms-request-charge'] ?? 0) || 0 : 0;
    c.ruEstimated += ru;
    c.ruCharged += charge;
    // Per container too: the partition plan needs the RU that lands on one container (inventory).
    if (op === 'metadata' || op === 'queryPlan') return;
    const name = containerOf(request.path);
    const containers = this.c.cosmosContainers;
    const k = (containers[name] ??= {
      requests: 0,
      writes: 0,
      writeBytes: 0,
      changeFeedReads: 0,
      ruEstimated: 0,
      ruCharged: 0,
    });
    // The host's change-feed polls are marked, not added: they stand for the extension's reads.
    if (op === 'changeFeed') return void k.changeFeedReads++;
    k.requests++;
    if (op !== 'read' && op !== 'query' && op !== 'readFeed' && status < 300) {
      k.writes++;
      k.writeBytes += Math.max(sent, got);
    }
    k.ruEstimated += ru;
    k.ruCharged += charge;
  }
}

/** `/dbs/{db}/colls/{name}/…` → name. */
function containerOf(path: string): string {
  const at = path.indexOf('/colls/');
  if (at < 0) return '(account)';
  const from = at + 7;
  const end = path.indexOf('/', from);
  return decodeURIComponent(path.slice(from, end < 0 ? path.length : end));
}

export const usage = new UsageMeter();
