// The store ports' contract cases (test/contracts/*.case.ts) against the Cosmos adapters, on the
// embedded Cosmos server the test run starts (test/support/global-setup.ts). Each port gets its
// own database, so listings see only their own cases' documents.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, inject } from 'vitest';
import { createCosmos, type Cosmos } from '../../shared/adapters/cosmos/client.js';
import { CosmosBookingStore } from '../../shared/adapters/cosmos/booking-store.js';
import { cosmosCatalogStore } from '../../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store.js';
import { cosmosProfileStore } from '../../shared/adapters/cosmos/profile-store.js';
import { cosmosShowClaims } from '../../shared/adapters/cosmos/show-claims.js';
import { cosmosTicketStore } from '../../shared/adapters/cosmos/ticket-store.js';
import { cosmosWebhookRecords } from '../../shared/adapters/cosmos/webhook-records.js';
import { bookingStoreCases } from './booking-store.case.js';
import { catalogStoreCases } from './catalog-store.case.js';
import { inventoryStoreCases } from './inventory-store.case.js';
import { profileStoreCases } from './profile-store.case.js';
import { showClaimsCases } from './show-claims.case.js';
import { ticketStoreCases } from './ticket-store.case.js';
import { webhookRecordsCases } from './webhook-records.case.js';

/** A fresh database for one suite; the cases' factories run only after it exists. */
function database(label: string): () => Cosmos {
  let cosmos: Cosmos | undefined;
  beforeAll(async () => {
    cosmos = createCosmos({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: `contract-${label}-${randomBytes(4).toString('hex')}`,
      timeoutMs: 10_000,
    });
    await cosmos.ensureSchema();
  });
  return () => cosmos!;
}

describe('Cosmos adapters', () => {
  describe('bookings', () => {
    const cosmos = database('bookings');
    bookingStoreCases(() => new CosmosBookingStore(cosmos()));
  });
  describe('show claims', () => {
    const cosmos = database('claims');
    showClaimsCases(() => cosmosShowClaims(cosmos()));
  });
  describe('webhook records', () => {
    const cosmos = database('webhooks');
    webhookRecordsCases(() => cosmosWebhookRecords(cosmos()));
  });
  describe('tickets', () => {
    const cosmos = database('tickets');
    ticketStoreCases(() => cosmosTicketStore(cosmos()));
  });
  describe('inventory', () => {
    const cosmos = database('inventory');
    inventoryStoreCases(() => cosmosInventoryStore(cosmos().container('inventory')));
  });
  describe('catalog', () => {
    const cosmos = database('catalog');
    catalogStoreCases(() => cosmosCatalogStore(cosmos()));
  });
  describe('profiles', () => {
    const cosmos = database('profiles');
    profileStoreCases(() => cosmosProfileStore(cosmos()));
  });
});
