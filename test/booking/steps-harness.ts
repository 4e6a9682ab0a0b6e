// The booking saga's steps run from the test process as another Function instance would run them:
// its own BookingSteps over the same Cosmos database and payment simulator as a running local
// host. A test interleaves them with what the host's sagas do, to reproduce the races the saga
// meets under faults (a terminated saga's step still on its way, a confirmation that runs late, a
// refund and a verification at once). Also the Durable HTTP API calls those tests make (start,
// terminate, wait for a saga) and the public seat map, read seat by seat.
import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { createCosmos, type Cosmos } from '../../shared/adapters/cosmos/client.js';
import { cosmosCatalogStore } from '../../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store.js';
import { CosmosBookingStore } from '../../shared/adapters/cosmos/booking-store.js';
import { cosmosSettlements } from '../../shared/adapters/cosmos/settlements.js';
import { cosmosTicketStore } from '../../shared/adapters/cosmos/ticket-store.js';
import { createPaymentProvider } from '../../shared/adapters/payments/client.js';
import { envSecretSource } from '../../shared/adapters/keyvault/secret-source.js';
import { CatalogService } from '../../shared/catalog/service.js';
import { InventoryService } from '../../shared/inventory/service.js';
import { TicketIssuer } from '../../shared/booking/tickets.js';
import { BookingSteps } from '../../shared/booking/steps.js';
import type { BookingDoc } from '../../shared/booking/model.js';
import { priceSeats, priceTableOf } from '../../shared/domain/booking/index.js';
import { api, PAYMENTS_API_KEY, TICKET_SIGNING_KEY, WEBHOOK_SECRET, type TestShow } from './helpers.js';

/** The Cosmos database a host of this test file uses (pass it as the host's COSMOS_DATABASE). */
export function connect(database: string): Cosmos {
  return createCosmos({ endpoint: inject('cosmosEndpoint'), key: inject('cosmosKey'), database, timeoutMs: 10_000 });
}

/** One Function instance's view: its own store (and so its own last-seen copies), inventory and steps. */
export function stepsInstance(host: TestHost, cosmos: Cosmos) {
  const store = new CosmosBookingStore(cosmos);
  const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
  const inventoryStore = cosmosInventoryStore(cosmos.container('inventory'));
  const inventory = new InventoryService({
    store: inventoryStore,
    lookup: (id) => catalog.showWithLayout(id),
    clock: Date.now,
  });
  const secrets = envSecretSource({ PAYMENTS_API_KEY, PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET, TICKET_SIGNING_KEY });
  const payments = createPaymentProvider({
    baseUrl: host.env.PAYMENTS_BASE_URL!,
    apiKey: () => secrets.get('PAYMENTS_API_KEY'),
    webhookSecret: () => secrets.get('PAYMENTS_WEBHOOK_SECRET'),
    webhookToleranceSeconds: 300,
    timeoutMs: 5000,
    retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 },
    breaker: { failureThreshold: 50, cooldownMs: 1000 },
  });
  const settlements = cosmosSettlements(cosmos);
  const steps = new BookingSteps({
    store,
    inventory,
    payments,
    tickets: new TicketIssuer(cosmosTicketStore(cosmos), secrets, Date.now),
    settlements,
    clock: Date.now,
    holdTtlSeconds: 60,
    showStatus: async (id) => (await catalog.show(id))?.status,
  });
  /** Seat id → the booking the inventory has it booked for, over the show's sections as stored. */
  const bookedSeats = async (showId: string): Promise<Map<string, string>> => {
    const found = await catalog.showWithLayout(showId);
    const booked = new Map<string, string>();
    for (const s of found?.index.layout.sections ?? []) {
      const section = await inventoryStore.read(showId, s.id);
      for (const [seat, st] of Object.entries(section?.doc.seats ?? {}))
        if (st.s === 'booked') booked.set(seat, st.bookingId);
    }
    return booked;
  };
  return { store, inventory, steps, payments, settlements, bookedSeats };
}

/** A pending booking document as POST /api/bookings writes it (no saga runs for it). */
export function draftBooking(
  show: TestShow,
  seatIds: string[],
  options: { userId?: string; attempt?: number; previous?: BookingDoc } = {},
): BookingDoc {
  const priced = priceSeats(
    seatIds.map((seatId) => ({ seatId, category: 'classic' })),
    priceTableOf({ classic: { minor: 20000, currency: 'INR' } }),
    { feeBp: 1000, feeMinMinor: 0, feeTaxBp: 1800, priceTaxBp: 0 },
  );
  if (!priced.ok) throw new Error(priced.detail);
  const at = new Date().toISOString();
  const previous = options.previous;
  const id = previous?.id ?? `bk_h_${randomUUID().slice(0, 8)}`;
  return {
    id,
    userId: options.userId ?? 'harness-user',
    showId: show.showId,
    city: 'blr',
    show: {
      title: 'T',
      venueName: 'V',
      screenName: 'S',
      startsAt: show.startsAt,
      endsAt: show.startsAt,
      language: 'English',
      format: '2D',
      nonRefundable: false,
    },
    seatIds,
    lines: priced.breakdown.lines,
    price: priced.breakdown,
    status: 'pending',
    attempt: options.attempt ?? 1,
    request: { fingerprint: 'f', kind: 'seats' },
    deadline: new Date(Date.now() + 120_000).toISOString(),
    cancelledSeatIds: [],
    cancellations: [],
    latePayments: [],
    history: [...(previous?.history ?? []), { at, status: 'pending', event: 'requested' }],
    sortKey: `${show.startsAt}|${id}`,
    createdAt: at,
    updatedAt: at,
  };
}

const DURABLE = '/runtime/webhooks/durabletask';

export interface SagaInstance {
  runtimeStatus: string;
  customStatus: { step?: string } | null;
  output: unknown;
}

export async function sagaStatus(host: TestHost, id: string): Promise<SagaInstance | undefined> {
  const res = await fetch(host.url(`${DURABLE}/instances/${encodeURIComponent(id)}`), { headers: host.admin });
  if (res.status === 404) return undefined;
  return (await res.json()) as SagaInstance;
}

/** Polls the Durable API until the instance is in one of `statuses` (and at `step`, when given). */
export async function waitForSaga(
  host: TestHost,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
  step?: string,
): Promise<SagaInstance> {
  const deadline = Date.now() + timeoutMs;
  let last: SagaInstance | undefined;
  while (Date.now() < deadline) {
    last = await sagaStatus(host, id);
    if (last && statuses.includes(last.runtimeStatus) && (!step || last.customStatus?.step === step)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${id} did not reach ${statuses.join('/')} ${step ?? ''}; last: ${JSON.stringify(last)}`);
}

/** Terminates a saga as the reconciler does (its steps already on their way may still run). */
export async function terminateSaga(host: TestHost, id: string): Promise<void> {
  const res = await fetch(
    host.url(`${DURABLE}/instances/${encodeURIComponent(id)}/terminate?reason=${encodeURIComponent('test')}`),
    { method: 'POST', headers: host.admin },
  );
  expect(res.status).toBe(202);
  await waitForSaga(host, id, ['Terminated']);
}

/** Starts orchestration `name` as instance `id` through the Durable HTTP API (as the reconciler's client does). */
export async function startSaga(host: TestHost, name: string, id: string, input: unknown): Promise<void> {
  const res = await fetch(host.url(`${DURABLE}/orchestrators/${name}/${encodeURIComponent(id)}`), {
    method: 'POST',
    headers: { ...host.admin, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status, await res.clone().text()).toBe(202);
}

/** The show's public seat map (GET /api/shows/{id}/seats, cached up to 1 s) as seat id → state code. */
export async function seatMap(host: TestHost, showId: string): Promise<Map<string, string>> {
  const a = await api(host, undefined, 'GET', `/api/shows/${showId}/seats`);
  expect(a.status).toBe(200);
  const layout = await api(host, undefined, 'GET', `/api/layouts/${a.body.layoutId}`);
  const order = (layout.body.sections as { rows: { cells: ({ id: string } | null)[] }[] }[]).flatMap((s) =>
    s.rows.flatMap((r) => r.cells.filter((c) => c !== null)),
  );
  return new Map(order.map((seat, i) => [seat!.id, (a.body.seats as string)[i]!]));
}

/** Polls the public seat map until `seatIds` all read `code` ('0' free, '1' taken). */
export async function seatsRead(host: TestHost, showId: string, seatIds: string[], code: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const map = await seatMap(host, showId);
        return seatIds.map((s) => map.get(s));
      },
      { timeout: 15_000, interval: 250 },
    )
    .toEqual(seatIds.map(() => code));
}

type Money = { minor: number; currency: string };
export type ProviderSession = { id: string; status: string; paymentId?: string; amount: Money; refunded: Money };

/** The simulator's record of a session (its payment and what was refunded of it). */
export async function providerSession(host: TestHost, sessionId: string): Promise<ProviderSession> {
  const res = await fetch(`${host.env.PAYMENTS_BASE_URL}/v1/sessions/${sessionId}`, {
    headers: { authorization: `Bearer ${PAYMENTS_API_KEY}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ProviderSession;
}
