// The composition root (docs/architecture.md, Layers): one function builds every adapter from settings, once per
// process; handlers receive what they need from here. No DI container, no other singletons.
import { config, type Config } from './config.js';
import { createCosmos, type Cosmos } from './adapters/cosmos/client.js';
import { Authenticator } from './http/auth.js';
import type { PaymentProvider } from './ports/payments.js';
import type { RealtimePublisher } from './ports/realtime.js';
import type { SecretSource } from './ports/secrets.js';
import { createPaymentProvider } from './adapters/payments/client.js';
import { envSecretSource, keyVaultSecretSource } from './adapters/keyvault/secret-source.js';
import { refundPolicy, type PricingPolicy, type RefundPolicy } from './domain/booking/index.js';
import { cosmosCatalogStore } from './adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from './adapters/cosmos/inventory-store.js';
import { CatalogService } from './catalog/service.js';
import { InventoryService } from './inventory/service.js';
import { CosmosBookingStore } from './adapters/cosmos/booking-store.js';
import { cosmosShowClaims } from './adapters/cosmos/show-claims.js';
import { cosmosWebhookRecords } from './adapters/cosmos/webhook-records.js';
import { cosmosTicketStore } from './adapters/cosmos/ticket-store.js';
import { cosmosProfileStore } from './adapters/cosmos/profile-store.js';
import { cosmosSectionSource } from './adapters/cosmos/section-source.js';
import { dependencyChecks } from './adapters/dependency-checks.js';
import type { BookingStore } from './booking/store.js';
import type { HealthCheck } from './health/service.js';
import { BookingService } from './booking/service.js';
import { BookingSteps } from './booking/steps.js';
import { CancelService } from './booking/cancel.js';
import { TicketIssuer } from './booking/tickets.js';
import { ProfileService } from './profile/service.js';
import { PaymentsService } from './booking/payments.js';
import { createWebPubSubPublisher } from './adapters/webpubsub/index.js';
import { SeatFanout } from './realtime/index.js';
import { CatalogAdmin } from './catalog/admin.js';
import { RecommendationService } from './recommendations/service.js';
import { cosmosRecommendationStore } from './adapters/cosmos/recommendation-store.js';

export interface Services {
  config: Config;
  cosmos: Cosmos;
  auth: Authenticator;
  secrets: SecretSource;
  payments: PaymentProvider;
  pricing: PricingPolicy;
  refunds: RefundPolicy;
  /** Wall clock for the catalog and inventory (tests of the domain pass their own `now`). */
  clock: () => number;
  catalog: CatalogService;
  inventory: InventoryService;
  // Bookings, their saga steps, cancellations, tickets, profiles.
  bookingStore: BookingStore;
  bookings: BookingService;
  bookingSteps: BookingSteps;
  cancellations: CancelService;
  tickets: TicketIssuer;
  profiles: ProfileService;
  paymentEvents: PaymentsService;
  catalogAdmin: CatalogAdmin;
  /** Web PubSub: seat diffs to a show's group, private messages to a user (e.g. booking status). */
  realtime: RealtimePublisher;
  /** The inventory change feed's fan-out (functions/inventory-changes.ts). */
  seatFanout: SeatFanout;
  /** Personal and city rails, and the signals behind them (functions/recommendations.ts). */
  recommendations: RecommendationService;
  /** The dependency probes of GET /api/health (functions/health.ts). */
  healthChecks: Record<string, HealthCheck>;
}

let built: Services | undefined;

export function services(): Services {
  if (built) return built;
  const c = config();
  const secrets: SecretSource = c.KEY_VAULT_URL
    ? keyVaultSecretSource({
        vaultUrl: c.KEY_VAULT_URL,
        timeoutMs: c.OUTBOUND_TIMEOUT_MS,
        ttlMs: c.SECRETS_CACHE_TTL_SECONDS * 1000,
      })
    : envSecretSource({
        PAYMENTS_API_KEY: c.PAYMENTS_API_KEY,
        PAYMENTS_WEBHOOK_SECRET: c.PAYMENTS_WEBHOOK_SECRET,
        TICKET_SIGNING_KEY: c.TICKET_SIGNING_KEY,
      });
  const cosmos = createCosmos({
    endpoint: c.COSMOS_ENDPOINT,
    key: c.COSMOS_KEY,
    database: c.COSMOS_DATABASE,
    timeoutMs: c.OUTBOUND_TIMEOUT_MS,
  });
  const clock = () => Date.now();
  const catalog = new CatalogService(cosmosCatalogStore(cosmos), clock);
  const inventory = new InventoryService({
    store: cosmosInventoryStore(cosmos.container('inventory')),
    lookup: (showId) => catalog.showWithLayout(showId),
    clock,
    availabilityTtlMs: c.AVAILABILITY_CACHE_MS,
  });
  const realtime = createWebPubSubPublisher({
    connectionString: c.WEBPUBSUB_CONNECTION_STRING,
    endpoint: c.WEBPUBSUB_ENDPOINT,
    hub: c.WEBPUBSUB_HUB,
    timeoutMs: c.OUTBOUND_TIMEOUT_MS,
  });
  const payments = createPaymentProvider({
    baseUrl: c.PAYMENTS_BASE_URL,
    apiKey: () => secrets.get('PAYMENTS_API_KEY'),
    webhookSecret: () => secrets.get('PAYMENTS_WEBHOOK_SECRET'),
    webhookToleranceSeconds: c.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS,
    timeoutMs: c.PAYMENTS_TIMEOUT_MS,
    retry: { maxAttempts: c.PAYMENTS_MAX_ATTEMPTS, baseDelayMs: 200, maxDelayMs: 2000 },
    breaker: { failureThreshold: c.PAYMENTS_BREAKER_THRESHOLD, cooldownMs: c.PAYMENTS_BREAKER_COOLDOWN_MS },
  });
  const pricing: PricingPolicy = {
    feeBp: c.BOOKING_FEE_BP,
    feeMinMinor: c.BOOKING_FEE_MIN_MINOR,
    feeTaxBp: c.BOOKING_FEE_TAX_BP,
    priceTaxBp: c.BOOKING_PRICE_TAX_BP,
  };
  const refunds: RefundPolicy = refundPolicy({
    fullBeforeHours: c.REFUND_FULL_BEFORE_HOURS,
    partialBeforeHours: c.REFUND_PARTIAL_BEFORE_HOURS,
    partialBp: c.REFUND_PARTIAL_BP,
  });
  const bookingStore = new CosmosBookingStore(cosmos);
  const profiles = new ProfileService(cosmosProfileStore(cosmos), clock);
  const tickets = new TicketIssuer(cosmosTicketStore(cosmos), secrets, clock);
  const bookingSteps = new BookingSteps({
    store: bookingStore,
    inventory,
    payments,
    tickets,
    clock,
    holdTtlSeconds: c.HOLD_TTL_SECONDS,
  });
  built = {
    bookingStore,
    tickets,
    bookings: new BookingService({
      store: bookingStore,
      claims: cosmosShowClaims(cosmos),
      catalog,
      inventory,
      pricing,
      clock,
      holdWaitMs: c.BOOKING_HOLD_WAIT_MS,
      holdTtlSeconds: c.HOLD_TTL_SECONDS,
    }),
    bookingSteps,
    paymentEvents: new PaymentsService({
      store: bookingStore,
      webhooks: cosmosWebhookRecords(cosmos),
      payments,
      steps: bookingSteps,
      clock,
      graceSeconds: c.RECONCILE_GRACE_SECONDS,
    }),
    cancellations: new CancelService({
      store: bookingStore,
      catalog,
      inventory,
      payments,
      tickets,
      refunds,
      clock,
      waitMs: c.CANCEL_WAIT_MS,
      refundAttempts: c.CANCEL_REFUND_ATTEMPTS,
      refundRetryMs: c.CANCEL_REFUND_RETRY_MS,
    }),
    profiles,
    recommendations: new RecommendationService({
      store: cosmosRecommendationStore(cosmos),
      bookings: bookingStore,
      catalog,
      profiles,
      clock,
    }),
    config: c,
    realtime,
    seatFanout: new SeatFanout({
      publisher: realtime,
      sections: cosmosSectionSource(cosmos.container('inventory')),
      clock,
      coalesceMs: c.REALTIME_COALESCE_MS,
    }),
    healthChecks: dependencyChecks({
      cosmos,
      storage: { connectionString: c.AzureWebJobsStorage, accountName: c.AzureWebJobsStorage__accountName },
    }),
    cosmos,
    clock,
    catalog,
    inventory,
    catalogAdmin: new CatalogAdmin(catalog, inventory, clock),
    auth: new Authenticator({
      issuer: c.AUTH_ISSUER,
      audience: c.AUTH_AUDIENCE,
      jwksUrl: c.AUTH_JWKS_URL,
      clockSkewSeconds: c.AUTH_CLOCK_SKEW_SECONDS,
      timeoutMs: c.OUTBOUND_TIMEOUT_MS,
    }),
    secrets,
    payments,
    pricing,
    refunds,
  };
  return built;
}
