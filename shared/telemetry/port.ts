// The app's telemetry port (docs/telemetry.md): what application code calls to trace a dependency
// or a saga step, count an outcome and write a structured log line. Two implementations: the
// no-op one (telemetry off: a span is a plain call, nothing is allocated) and the OpenTelemetry one
// (shared/telemetry/otel.ts), installed once at start-up by shared/telemetry/start.ts.

/** Properties carried by spans, metrics and logs. Keep metric attributes low-cardinality (no ids). */
export type Attributes = Record<string, string | number | boolean | undefined>;

/** The dependency a span calls, which decides its kind (client) and the `peer.service` attribute. */
export type Dependency = 'cosmos' | 'payments' | 'webpubsub' | 'servicebus' | 'webhook' | 'email' | 'sms' | 'push';

/** Every metric the app records, with its unit (docs/telemetry.md lists them with their attributes). */
export const Metrics = {
  /** Bookings reaching an end state; attribute outcome: confirmed | failed | expired. */
  bookings: { name: 'marquee.bookings', unit: '{booking}', kind: 'counter' },
  /** Seat holds refused because another booking holds or bought a seat; attribute code. */
  holdConflicts: { name: 'marquee.hold.conflicts', unit: '{hold}', kind: 'counter' },
  /** How long each saga step (activity) took; attributes step, outcome (ok | error). */
  sagaStepDuration: { name: 'marquee.saga.step.duration', unit: 'ms', kind: 'histogram' },
  /** Refunds asked of the provider; attributes reason (cancel | late_payment), outcome. */
  refunds: { name: 'marquee.refunds', unit: '{refund}', kind: 'counter' },
  /** Partner webhook delivery attempts; attribute outcome (delivered | failed | gone). */
  webhookDeliveries: { name: 'marquee.webhook.deliveries', unit: '{delivery}', kind: 'counter' },
  /** Notification sends per channel; attributes channel, outcome (sent | failed | skipped). */
  notificationDeliveries: { name: 'marquee.notification.deliveries', unit: '{notification}', kind: 'counter' },
} as const;

export type Metric = (typeof Metrics)[keyof typeof Metrics];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Telemetry {
  /** False for the no-op implementation: callers may skip building attributes. */
  readonly enabled: boolean;
  /** True inside a traced operation (a span is current): dependency calls outside one are not traced. */
  inTrace(): boolean;
  /** Adds attributes to the current span (e.g. the show a step learns from the booking it read). */
  annotate(attributes: Attributes): void;
  /** Runs `fn` inside a span named `name` (a child of the current one); an error marks it failed. */
  span<T>(name: string, attributes: Attributes, fn: () => Promise<T>, dependency?: Dependency): Promise<T>;
  /** Adds `value` (default 1) to a counter, or records it on a histogram. */
  record(metric: Metric, value?: number, attributes?: Attributes): void;
  /** A structured log record, correlated with the current span; `attributes` become its properties. */
  log(level: LogLevel, message: string, attributes?: Attributes): void;
}

export const noTelemetry: Telemetry = {
  enabled: false,
  inTrace: () => false,
  annotate: () => undefined,
  span: (_name, _attributes, fn) => fn(),
  record: () => undefined,
  log: (level, message, attributes) => {
    // Without telemetry the console is still where warnings and errors go (the host forwards it).
    if (level === 'warn' || level === 'error') console[level](message, ...(attributes ? [attributes] : []));
  },
};

let current: Telemetry = noTelemetry;

/** The installed telemetry (the no-op one until shared/telemetry/start.ts installs another). */
export function telemetry(): Telemetry {
  return current;
}

export function useTelemetry(t: Telemetry): void {
  current = t;
}

/**
 * The booking and show a value is about, for span attributes: `bookingId`/`showId` on the value
 * or on its `ref`/`booking` member (the saga's activity inputs have one of these shapes).
 */
export function correlationOf(value: unknown): Attributes {
  const out: Attributes = {};
  const visit = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 1) return;
    const o = v as Record<string, unknown>;
    if (typeof o.bookingId === 'string' && !out.bookingId) out.bookingId = o.bookingId;
    if (typeof o.showId === 'string' && !out.showId) out.showId = o.showId;
    for (const k of ['ref', 'booking', 'show']) visit(o[k], depth + 1);
  };
  visit(value, 0);
  return out;
}
