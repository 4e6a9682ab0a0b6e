// The composition root (docs/architecture.md, Layers): one function builds every adapter from settings, once per
// process; handlers receive what they need from here. No DI container, no other singletons.
import './telemetry/on-load.js';
import { config, type Config } from './config.js';
import { createCosmos, type Cosmos } from './adapters/cosmos/client.js';
import { Authenticator } from './http/auth.js';
import { useRateLimits } from './http/handler.js';
import { RateLimits } from './http/rate-limit.js';
import type { PaymentProvider } from './ports/payments.js';
import type { RealtimePublisher } from './ports/realtime.js';
import type { SecretSource } from './ports/secrets.js';
import { createPaymentProvider } from './adapters/payments/client.js';
import { envSecretSource, keyVaultSecretSource } from './adapters/keyvault/secret-source.js';
import { refundPolicy, type PricingPolicy, type RefundPolicy } from './domain/booking/index.js';
import { cosmosCatalogStore } from './adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from './adapters/cosmos/inventory-store.js';
import { CatalogService, cityOfId } from './catalog/service.js';
import { ShowCancellations } from './booking/show-cancel.js';
import { InventoryService } from './inventory/service.js';
import { CosmosBookingStore } from './adapters/cosmos/booking-store.js';
import { cosmosShowClaims } from './adapters/cosmos/show-claims.js';
import { cosmosWebhookRecords } from './adapters/cosmos/webhook-records.js';
import { cosmosSettlements } from './adapters/cosmos/settlements.js';
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
import { PartnerEndpoints } from './partners/endpoints.js';
import { WebhookDispatcher } from './partners/dispatcher.js';
import { committedEventVerifier } from './partners/verify-event.js';
import { PartnerReads } from './partners/reads.js';
import type { DeliveryLog } from './partners/ports.js';
import { cosmosEndpointStore } from './adapters/cosmos/partner-endpoints.js';
import { cosmosDeliveryLog } from './adapters/cosmos/partner-deliveries.js';
import { cosmosSigningSecrets } from './adapters/cosmos/partner-secrets.js';
import { keyVaultSigningSecrets } from './adapters/keyvault/signing-secrets.js';
import { httpWebhookSender } from './adapters/webhooks/sender.js';
import { OperatorNotices } from './notifications/operator-notices.js';
import { endpointDisabledNotice } from './partners/disabled-notice.js';
import { NotificationService } from './notifications/service.js';
import { InboxService } from './notifications/inbox.js';
import { ReminderScheduler } from './notifications/reminders.js';
import { cosmosNotificationStore } from './adapters/cosmos/notification-store.js';
import { acsEmailSender } from './adapters/communication/email.js';
import { acsSmsSender } from './adapters/communication/sms.js';
import { webPushSender } from './adapters/webpush/index.js';
import { RecommendationService } from './recommendations/service.js';
import { cosmosRecommendationStore } from './adapters/cosmos/recommendation-store.js';
import { WaitingRoomService } from './waiting-room/service.js';
import { WaitingRoomTokens } from './waiting-room/tokens.js';
import { cosmosTicketLedgers } from './adapters/cosmos/ticket-ledger-store.js';
import { cosmosWaitingRoomStore } from './adapters/cosmos/waiting-room-store.js';
import { FeatureFlags } from './features/flags.js';
import { appConfigurationFlags } from './adapters/appconfig/feature-flags.js';

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
  /** An operator's show cancellation and its fan-out (functions/ops-shows.ts, show-cancellations.ts). */
  showCancellations: ShowCancellations;
  tickets: TicketIssuer;
  profiles: ProfileService;
  paymentEvents: PaymentsService;
  catalogAdmin: CatalogAdmin;
  /** Web PubSub: seat diffs to a show's group, private messages to a user (e.g. booking status). */
  realtime: RealtimePublisher;
  /** The inventory change feed's fan-out (functions/inventory-changes.ts). */
  seatFanout: SeatFanout;
  /** Booking events → email, SMS, web push, in-app (functions/notifications.ts). */
  notifications: NotificationService;
  /** Schedules and cancels the reminder before a booked show (functions/notifications.ts). */
  reminders: ReminderScheduler;
  /** The user's inbox and push subscriptions (functions/me-notifications.ts). */
  inbox: InboxService;
  /** Personal and city rails, and the signals behind them (functions/recommendations.ts). */
  recommendations: RecommendationService;
  /** Feature flags: App Configuration when configured, else the FEATURE_* settings (docs/feature-flags.md). */
  features: FeatureFlags;
  /** The dependency probes of GET /api/health (functions/health.ts). */
  healthChecks: Record<string, HealthCheck>;
  // Partner webhooks: endpoints (operators), delivery (the partner-webhooks subscription), the log.
  partnerEndpoints: PartnerEndpoints;
  webhooks: WebhookDispatcher;
  deliveries: DeliveryLog;
  partnerReads: PartnerReads;
  /** The waiting room of hot on-sales (functions/waiting-room.ts, waiting-room-admitter.ts). */
  waitingRoom: WaitingRoomService;
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
        WAITING_ROOM_SIGNING_KEY: c.WAITING_ROOM_SIGNING_KEY,
      });
  const auth = new Authenticator({
    issuer: c.AUTH_ISSUER,
    audience: c.AUTH_AUDIENCE,
    jwksUrl: c.AUTH_JWKS_URL,
    clockSkewSeconds: c.AUTH_CLOCK_SKEW_SECONDS,
    timeoutMs: c.OUTBOUND_TIMEOUT_MS,
  });
  // The edge's rate limits apply to every route wrapped in handle() from here on.
  useRateLimits(
    c.RATE_LIMIT_ENABLED
      ? new RateLimits(
          {
            userPerSecond: c.RATE_LIMIT_USER_PER_SECOND,
            anonymousPerSecond: c.RATE_LIMIT_ANONYMOUS_PER_SECOND,
            bookingsPerMinute: c.RATE_LIMIT_BOOKINGS_PER_MINUTE,
            queueJoinsPerIpPerMinute: c.WAITING_ROOM_JOINS_PER_IP_PER_MINUTE,
            proxyHops: c.RATE_LIMIT_PROXY_HOPS,
          },
          (authorization) => auth.userOf(authorization),
        )
      : undefined,
  );
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
  const settlements = cosmosSettlements(cosmos);
  const tickets = new TicketIssuer(cosmosTicketStore(cosmos), secrets, clock);
  const bookingSteps = new BookingSteps({
    store: bookingStore,
    inventory,
    payments,
    tickets,
    settlements,
    clock,
    holdTtlSeconds: c.HOLD_TTL_SECONDS,
    showStatus: async (showId) => {
      const city = cityOfId(showId);
      return city ? (await catalog.store.show(city, showId))?.status : undefined;
    },
  });
  const profiles = new ProfileService(cosmosProfileStore(cosmos), clock);
  const notificationStore = cosmosNotificationStore(cosmos);
  const acs = { connectionString: c.ACS_CONNECTION_STRING, endpoint: c.ACS_ENDPOINT, timeoutMs: c.OUTBOUND_TIMEOUT_MS };
  const acsConfigured = Boolean(c.ACS_CONNECTION_STRING || c.ACS_ENDPOINT);
  const emailSender = acsConfigured
    ? acsEmailSender({ ...acs, senderAddress: c.NOTIFY_EMAIL_SENDER, pollMs: 250 })
    : undefined;
  const notifications = new NotificationService({
    store: notificationStore,
    profiles,
    bookings: bookingStore,
    tickets,
    email: emailSender,
    sms: acsConfigured ? acsSmsSender({ ...acs, from: c.NOTIFY_SMS_SENDER }) : undefined,
    push: c.WEB_PUSH_VAPID_PUBLIC_KEY
      ? webPushSender({
          subject: c.WEB_PUSH_SUBJECT,
          publicKey: c.WEB_PUSH_VAPID_PUBLIC_KEY,
          privateKey: c.WEB_PUSH_VAPID_PRIVATE_KEY,
          timeoutMs: c.OUTBOUND_TIMEOUT_MS,
        })
      : undefined,
    live: realtime,
    clock,
    webAppUrl: c.WEB_APP_URL ?? webOrigin(c.WEBSITE_HOSTNAME),
    timeZone: c.NOTIFY_TIMEZONE,
    attempts: c.NOTIFY_ATTEMPTS,
    backoffMs: c.NOTIFY_RETRY_MS,
    quietHours: c.NOTIFY_QUIET_HOURS,
    staleSendingMs: 120_000,
    log: (m) => console.warn(m),
  });
  const webAppUrl = c.WEB_APP_URL ?? webOrigin(c.WEBSITE_HOSTNAME);
  const operatorNotices = new OperatorNotices({
    store: notificationStore,
    profiles,
    email: emailSender,
    live: realtime,
    clock,
    opsEmail: c.PARTNER_WEBHOOK_OPS_EMAIL,
    attempts: c.NOTIFY_ATTEMPTS,
    backoffMs: c.NOTIFY_RETRY_MS,
    log: (m) => console.warn(m),
  });
  const urlPolicy = { allowLoopback: c.PARTNER_WEBHOOK_ALLOW_LOOPBACK };
  const endpointStore = cosmosEndpointStore(cosmos);
  const deliveries = cosmosDeliveryLog(cosmos);
  const signingSecrets = c.PARTNER_WEBHOOK_VAULT_URL
    ? keyVaultSigningSecrets({ vaultUrl: c.PARTNER_WEBHOOK_VAULT_URL, timeoutMs: c.OUTBOUND_TIMEOUT_MS })
    : cosmosSigningSecrets(cosmos);
  const webhooks = new WebhookDispatcher({
    endpoints: endpointStore,
    deliveries,
    secrets: signingSecrets,
    sender: httpWebhookSender({ timeoutMs: c.PARTNER_WEBHOOK_TIMEOUT_MS, policy: urlPolicy }),
    verify: committedEventVerifier(bookingStore),
    show: async (showId) => {
      const show = await catalog.show(showId);
      return show && { city: show.city, venueId: show.venueId };
    },
    clock,
    schedule: c.PARTNER_WEBHOOK_RETRY_SCHEDULE,
    lanes: {
      concurrency: c.PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY,
      // Waiting sends are each a Service Bus message or an activity held: a few per slot at most.
      queue: 16 * c.PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY,
      queueWaitMs: c.PARTNER_WEBHOOK_QUEUE_WAIT_MS,
      circuitFailures: c.PARTNER_WEBHOOK_CIRCUIT_FAILURES,
      circuitOpenMs: c.PARTNER_WEBHOOK_CIRCUIT_OPEN_SECONDS * 1000,
    },
    // A failing endpoint's retries share an orchestration per quarter second (up to 100 runs): a
    // message that asked for one waits that long at most for its start (shared/partners/retry-batches.ts).
    retryBatches: { windowMs: 250, max: 100 },
    disableAfterMs: c.PARTNER_WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
    claimMs: 2 * c.PARTNER_WEBHOOK_TIMEOUT_MS,
    onError: (d, err) => console.warn(`partner delivery ${d.id}: first attempt failed, retrying durably:`, err),
    // The registering operator and the operations mailbox are told (in-app, email). Not awaited by
    // delivery: the notice retries on its own, and what still fails is logged for alerting.
    onDisabled: (e, reason) => {
      console.warn(`partner endpoint ${e.id} (${e.name}) disabled: ${reason === 'gone' ? 'answered 410' : 'failing'}`);
      operatorNotices
        .send(endpointDisabledNotice(e, reason, webAppUrl), e.createdBy)
        .catch((err: Error) => console.warn(`partner endpoint ${e.id}: disabled notice failed: ${err.message}`));
    },
  });
  const waitingRoom = new WaitingRoomService({
    store: cosmosWaitingRoomStore(cosmos, { joinBatchMs: c.WAITING_ROOM_JOIN_BATCH_MS }),
    tokens: new WaitingRoomTokens(secrets),
    show: (showId) => catalog.show(showId),
    bookings: bookingStore,
    ledgers: cosmosTicketLedgers(cosmos),
    realtime,
    clock,
    settleMs: c.WAITING_ROOM_SETTLE_MS,
    cacheMs: c.WAITING_ROOM_CACHE_MS,
    log: (m) => console.warn(m),
  });
  const cancellations = new CancelService({
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
  });
  built = {
    waitingRoom,
    partnerEndpoints: new PartnerEndpoints({
      endpoints: endpointStore,
      secrets: signingSecrets,
      clock,
      urlPolicy,
      overlapSeconds: c.PARTNER_WEBHOOK_SECRET_OVERLAP_SECONDS,
      changed: () => webhooks.endpointsChanged(),
    }),
    webhooks,
    deliveries,
    partnerReads: new PartnerReads({
      endpoints: endpointStore,
      deliveries,
      booking: (id) => bookingStore.findById(id),
      show: (id) => catalog.show(id),
    }),
    notifications,
    inbox: new InboxService(notificationStore, clock),
    reminders: new ReminderScheduler({ bookings: bookingStore, profiles, clock, leadMinutes: c.REMINDER_LEAD_MINUTES }),
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
      paymentGrace: { seconds: c.PAYMENT_GRACE_SECONDS, pollSeconds: c.PAYMENT_GRACE_POLL_SECONDS },
    }),
    bookingSteps,
    paymentEvents: new PaymentsService({
      store: bookingStore,
      webhooks: cosmosWebhookRecords(cosmos),
      settlements,
      payments,
      steps: bookingSteps,
      clock,
      graceSeconds: c.RECONCILE_GRACE_SECONDS,
      providerLookbackSeconds: c.PAYMENTS_RECONCILE_LOOKBACK_SECONDS,
    }),
    showCancellations: new ShowCancellations({
      store: bookingStore,
      catalog,
      clock,
      batch: c.SHOW_CANCEL_BATCH,
      passPauseSeconds: c.SHOW_CANCEL_PASS_SECONDS,
      maxPasses: c.SHOW_CANCEL_MAX_PASSES,
      refundRuns: c.SHOW_CANCEL_REFUND_RUNS,
      refundAttempts: c.CANCEL_REFUND_ATTEMPTS,
      refundRetryMs: c.CANCEL_REFUND_RETRY_MS,
      chunk: c.SHOW_CANCEL_CHUNK,
      cancels: cancellations,
    }),
    cancellations,
    profiles,
    recommendations: new RecommendationService({
      store: cosmosRecommendationStore(cosmos),
      bookings: bookingStore,
      catalog,
      profiles,
      clock,
    }),
    config: c,
    features: new FeatureFlags({
      fallback: { 'recommendations-rail': c.FEATURE_RECOMMENDATIONS_RAIL },
      store: c.APP_CONFIGURATION_ENDPOINT ? appConfigurationFlags(c.APP_CONFIGURATION_ENDPOINT) : undefined,
      timeoutMs: Math.min(c.OUTBOUND_TIMEOUT_MS, 1000),
      cacheMs: c.FEATURE_FLAGS_CACHE_SECONDS * 1000,
      clock,
      onStoreError: (name, err) =>
        console.warn(`feature flag ${name}: App Configuration did not answer, the last known value stands:`, err),
    }),
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
    auth,
    secrets,
    payments,
    pricing,
    refunds,
  };
  return built;
}

/** The app's own origin from the platform's host name: https on Azure, http on a loopback host. */
function webOrigin(hostname = 'localhost'): string {
  return /^(localhost|127\.|\[::1\])/.test(hostname) ? `http://${hostname}` : `https://${hostname}`;
}
