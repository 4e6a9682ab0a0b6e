// The message as the local broker stores it in an Azurite queue message (JSON text), and how it
// reaches a handler. Service Bus keeps a body plus broker and application properties; we keep the
// ones the app and the trigger metadata use. The delivery count is not stored: it is the queue
// message's dequeueCount, which Azurite raises on every receive, exactly when Service Bus does.
//
// Output-binding values, as the real binding reads them: strings are text bodies, Buffers binary, anything
// else JSON. One local extension, documented: an object whose keys are all envelope keys and that
// has both `body` and a string `messageId` is taken as an envelope, so a sender can fix the
// messageId consumers de-duplicate by. In Azure the binding would send such an object as a JSON
// body; production code that needs a messageId should send through the SDK instead.
import { randomUUID } from 'node:crypto';

export type ApplicationProperties = Record<string, string | number | boolean | null>;

export interface OutgoingMessage {
  body: unknown;
  messageId?: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  applicationProperties?: ApplicationProperties;
}

export interface StoredMessage {
  /** text, or base64 for bytes; a JSON body is stored as the value itself. */
  body: unknown;
  bodyType: 'json' | 'text' | 'bytes';
  messageId: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  applicationProperties: ApplicationProperties;
  enqueuedTimeUtc: string;
  sequenceNumber: number;
  /** Set on dead-lettered copies. */
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  deliveryCount?: number;
}

const ENVELOPE_KEYS = new Set([
  'body',
  'messageId',
  'contentType',
  'correlationId',
  'subject',
  'applicationProperties',
]);

/** Turns one value written to a `serviceBus` output binding into a message. */
export function fromOutputValue(value: unknown): OutgoingMessage {
  if (isEnvelope(value)) return value;
  return { body: value };
}

export function isEnvelope(value: unknown): value is OutgoingMessage {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.includes('body') &&
    typeof (value as { messageId?: unknown }).messageId === 'string' &&
    keys.every((k) => ENVELOPE_KEYS.has(k))
  );
}

export function toStored(message: OutgoingMessage, sequenceNumber: number, now = new Date()): StoredMessage {
  const { body } = message;
  const common = {
    messageId: message.messageId ?? randomUUID().replace(/-/g, ''),
    correlationId: message.correlationId,
    subject: message.subject,
    applicationProperties: message.applicationProperties ?? {},
    enqueuedTimeUtc: now.toISOString(),
    sequenceNumber,
  };
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    return {
      ...common,
      body: Buffer.from(body).toString('base64'),
      bodyType: 'bytes',
      contentType: message.contentType,
    };
  }
  if (typeof body === 'string') return { ...common, body, bodyType: 'text', contentType: message.contentType };
  return { ...common, body: body ?? null, bodyType: 'json', contentType: message.contentType ?? 'application/json' };
}

export function encode(message: StoredMessage): string {
  return JSON.stringify(message);
}

export function decode(text: string): StoredMessage {
  const parsed = JSON.parse(text) as StoredMessage;
  if (!parsed || typeof parsed.messageId !== 'string' || !('bodyType' in parsed))
    throw new Error('not a local Service Bus message');
  return parsed;
}

/**
 * The handler's argument: JSON bodies parsed, binary as a Buffer, text as a string — except that,
 * like the real worker (it passes text as RpcTypedData `string`), a text body that happens to be
 * valid JSON arrives parsed.
 */
export function bodyForHandler(message: StoredMessage): unknown {
  if (message.bodyType === 'bytes') return Buffer.from(String(message.body), 'base64');
  if (message.bodyType === 'json') return message.body;
  const text = String(message.body);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface Delivery {
  message: StoredMessage;
  deliveryCount: number;
  lockToken: string;
  lockedUntilUtc: string;
}

/** context.triggerMetadata for one message, camelCased as the library delivers it. */
export function metadataForOne(d: Delivery): Record<string, unknown> {
  const m = d.message;
  const expires = new Date(8640000000000000).toISOString(); // TimeToLive is unlimited locally
  return {
    messageId: m.messageId,
    deliveryCount: d.deliveryCount,
    enqueuedTimeUtc: m.enqueuedTimeUtc,
    expiresAtUtc: expires,
    lockedUntilUtc: d.lockedUntilUtc,
    contentType: m.contentType,
    correlationId: m.correlationId,
    subject: m.subject,
    label: m.subject,
    sequenceNumber: m.sequenceNumber,
    lockToken: d.lockToken,
    applicationProperties: m.applicationProperties,
    userProperties: m.applicationProperties,
  };
}

/** For cardinality "many" the host sends one array per property (`messageIdArray`, ...). */
export function metadataForMany(deliveries: Delivery[]): Record<string, unknown> {
  const each = deliveries.map(metadataForOne);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(each[0] ?? {})) out[`${key}Array`] = each.map((m) => m[key]);
  return out;
}
