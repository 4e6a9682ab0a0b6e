// List prices the cost model multiplies the measured counts by (`npm run cost`, docs/capacity.md).
// US dollars, a non-government US region, pay-as-you-go, before free grants. Each price carries
// where it comes from, how good that source is ([doc] Microsoft Learn, [ms-blog] a Microsoft blog,
// [3rd] a third-party page, [unverified] recalled and not found in a stored source) and when it was
// read. The stored copies of the Azure pricing pages show no numbers, so several are taken from
// Microsoft's own cost examples; confirm every one with the Azure Retail Prices API
// (https://prices.azure.com/api/retail/prices) for the region before budgeting.

export interface Price {
  value: number;
  unit: string;
  source: string;
  quality: 'doc' | 'ms-blog' | '3rd' | 'unverified';
  read: string;
}

const READ = '2026-12-03';

export const PRICES = {
  flexExecutions: {
    value: 0.4,
    unit: '$ per 1M executions (Flex Consumption, on demand)',
    source: 'https://learn.microsoft.com/azure/azure-functions/functions-consumption-costs',
    quality: 'doc',
    read: READ,
  },
  flexGbSeconds: {
    value: 0.000026,
    unit: '$ per GB-s (Flex Consumption, on demand)',
    source: 'https://learn.microsoft.com/azure/azure-functions/functions-consumption-costs',
    quality: 'doc',
    read: READ,
  },
  cosmosServerless: {
    value: 0.25,
    unit: '$ per 1M RU consumed (serverless)',
    source: 'https://learn.microsoft.com/azure/cosmos-db/understand-your-bill',
    quality: 'doc',
    read: READ,
  },
  cosmosAutoscale: {
    value: 0.012,
    unit: '$ per 100 RU/s per hour (autoscale max RU/s, single write region; billed at the hour’s peak, ≥ 10 % of max)',
    source: 'https://learn.microsoft.com/azure/cosmos-db/autoscale-faq',
    quality: 'doc',
    read: READ,
  },
  cosmosManual: {
    value: 0.008,
    unit: '$ per 100 RU/s per hour (manual provisioned, single write region)',
    source: 'https://learn.microsoft.com/azure/cosmos-db/understand-your-bill',
    quality: 'doc',
    read: READ,
  },
  serviceBusPremiumMu: {
    value: 675,
    unit: '$ per messaging unit per month (Premium; operations not charged)',
    source: 'https://devblogs.microsoft.com/azure-sdk/azure-service-bus-performance/ (~$650–700)',
    quality: 'ms-blog',
    read: READ,
  },
  webPubSubUnitDay: {
    value: 1.61,
    unit: '$ per unit per day (Standard; 1,000 connections and 1M messages a day included)',
    source: 'https://c3x.dev/resources/azure/azurerm_web_pubsub/',
    quality: '3rd',
    read: READ,
  },
  webPubSubOverage: {
    value: 1.0,
    unit: '$ per 1M messages over the included quota (2 KB each)',
    source: 'https://plavos.com/blog/azure-signalr-service-pricing-unit-instance-messages/ (SignalR’s rate)',
    quality: '3rd',
    read: READ,
  },
  storageTransactions: {
    value: 0.00036,
    unit: '$ per 10,000 transactions (Standard GPv1 tables/queues, the account Microsoft advises for Durable)',
    source: 'https://azure.microsoft.com/pricing/details/storage/tables/',
    quality: 'unverified',
    read: READ,
  },
  acsEmail: {
    value: 0.00025,
    unit: '$ per email recipient (plus $0.00012 per MB)',
    source: 'https://learn.microsoft.com/azure/communication-services/concepts/email-pricing',
    quality: 'unverified',
    read: READ,
  },
  acsSms: {
    value: 0.0075,
    unit: '$ per SMS segment sent (US toll-free, before carrier surcharge)',
    source: 'https://learn.microsoft.com/azure/communication-services/concepts/sms-pricing',
    quality: 'unverified',
    read: READ,
  },
} satisfies Record<string, Price>;

/**
 * Capacity per unit, for the services billed per unit rather than per operation (their cost per
 * booking is the unit's price spread over what it carries at `UTILIZATION`).
 */
export const CAPACITY = {
  /** Service Bus Premium, 1 KB messages per second per MU [3rd, second-hand: "Premium Messaging: how fast is it?"]. */
  serviceBusMessagesPerSecondPerMu: 4400,
  /** Durable Task Scheduler Dedicated: actions per second per capacity unit, at most 3 CUs per scheduler [doc]. */
  dtsActionsPerSecondPerCu: 2000,
  /** Flex Consumption instance memory (the default size), GB, and its vCPUs [doc]. */
  flexInstanceGb: 2,
  /** Share of an instance's time that is billed but not spent on CPU (waiting on I/O with other requests in flight). */
  flexCpuShareOfBilledTime: 0.7,
  /** Web PubSub: messages included per unit per day [doc]. */
  webPubSubIncludedPerUnitDay: 1_000_000,
} as const;

/** Average use of provisioned capacity (autoscale max RU/s, MUs) over a billed hour — an assumption, shown in the output. */
export const UTILIZATION = 0.5;

export const SECONDS_PER_MONTH = 2_628_000;
