// Counts per unit of work → dollars per 1,000,000 units (`npm run cost`, docs/capacity.md, Cost per
// booking). Pure arithmetic on the usage meter's counts (local/core/usage.ts) and the price table
// (bench/cost/prices.ts); every line says what it multiplies.
import { CAPACITY, PRICES, SECONDS_PER_MONTH, UTILIZATION } from './prices.js';

/** The meter's counts divided by the units of work (bookings or seat-map reads). */
export interface PerUnit {
  executions: number;
  /** Host CPU seconds per unit (the local host: app + the emulators it runs in-process). */
  cpuSeconds: number;
  ru: number;
  durableActions: number;
  storageTransactions: number;
  serviceBusOperations: number;
  webPubSubBillable: number;
  emails: number;
  sms: number;
}

export interface CostLine {
  service: string;
  how: string;
  perMillion: number | undefined;
}

const M = 1_000_000;
/** $ per RU of provisioned throughput used at `UTILIZATION` of the billed RU/s. */
const perRuProvisioned = (pricePer100PerHour: number) => pricePer100PerHour / 100 / 3600 / UTILIZATION;

export function costLines(u: PerUnit): { common: CostLine[]; serverless: CostLine; autoscale: CostLine } {
  const gbs = (u.cpuSeconds / CAPACITY.flexCpuShareOfBilledTime) * CAPACITY.flexInstanceGb;
  const sbPerOp =
    PRICES.serviceBusPremiumMu.value / (CAPACITY.serviceBusMessagesPerSecondPerMu * SECONDS_PER_MONTH * UTILIZATION);
  const common: CostLine[] = [
    {
      service: 'Functions executions',
      how: `${f(u.executions)} × $${PRICES.flexExecutions.value}/M`,
      perMillion: u.executions * PRICES.flexExecutions.value,
    },
    {
      service: 'Functions GB-s',
      how: `${f(u.cpuSeconds * 1000)} ms CPU ÷ ${CAPACITY.flexCpuShareOfBilledTime} × ${CAPACITY.flexInstanceGb} GB = ${f(gbs)} GB-s × $${PRICES.flexGbSeconds.value}`,
      perMillion: gbs * PRICES.flexGbSeconds.value * M,
    },
    {
      service: 'Durable Task Scheduler',
      how: `${f(u.durableActions)} actions (price per action/CU not published)`,
      perMillion: undefined,
    },
    {
      service: 'Durable on Azure Storage (local engine’s table calls)',
      how: `${f(u.storageTransactions)} transactions × $${PRICES.storageTransactions.value}/10K [unverified]`,
      perMillion: (u.storageTransactions * PRICES.storageTransactions.value * M) / 10_000,
    },
    {
      service: 'Service Bus Premium (MU share)',
      how: `${f(u.serviceBusOperations)} messages ÷ (${CAPACITY.serviceBusMessagesPerSecondPerMu}/s × month × ${UTILIZATION}) × $${PRICES.serviceBusPremiumMu.value}/MU`,
      perMillion: u.serviceBusOperations * sbPerOp * M,
    },
    {
      service: 'Web PubSub (messages over quota)',
      how: `${f(u.webPubSubBillable)} billable × $${PRICES.webPubSubOverage.value}/M`,
      perMillion: u.webPubSubBillable * PRICES.webPubSubOverage.value,
    },
    {
      service: 'ACS email + SMS',
      how: `${f(u.emails)} × $${PRICES.acsEmail.value} + ${f(u.sms)} × $${PRICES.acsSms.value}`,
      perMillion: (u.emails * PRICES.acsEmail.value + u.sms * PRICES.acsSms.value) * M,
    },
  ];
  return {
    common,
    serverless: {
      service: 'Cosmos DB serverless',
      how: `${f(u.ru)} RU × $${PRICES.cosmosServerless.value}/M`,
      perMillion: u.ru * PRICES.cosmosServerless.value,
    },
    autoscale: {
      service: 'Cosmos DB autoscale',
      how: `${f(u.ru)} RU × $${PRICES.cosmosAutoscale.value}/100 RU/s/h ÷ 3600 ÷ ${UTILIZATION} use`,
      perMillion: u.ru * perRuProvisioned(PRICES.cosmosAutoscale.value) * M,
    },
  };
}

export function total(lines: CostLine[]): number {
  return lines.reduce((sum, l) => sum + (l.perMillion ?? 0), 0);
}

export function f(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}
