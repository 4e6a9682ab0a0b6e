// A message on its way to many connections, encoded once. The JSON frame is kept open (no closing
// brace) so a reliable connection only appends its own `,"sequenceId":N}`: a group send to 500
// connections costs one JSON encoding, and a connection's resend buffer holds references to shared
// payloads rather than copies.

export type DataType = 'json' | 'text' | 'binary' | 'protobuf';

export interface Payload {
  /** `{"type":"message",…,"data":…` without the closing brace. */
  readonly open: string;
  /** What a plain WebSocket client (no subprotocol) receives: the data itself. */
  readonly raw: string | Buffer;
}

export class PayloadError extends Error {
  override name = 'PayloadError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Origin = { from: 'server' } | { from: 'group'; group: string; fromUserId?: string | null };

function head(origin: Origin, dataType: DataType): string {
  if (origin.from === 'server') return `{"type":"message","from":"server","dataType":"${dataType}","data":`;
  const user = origin.fromUserId === undefined ? '' : `,"fromUserId":${JSON.stringify(origin.fromUserId)}`;
  return `{"type":"message","from":"group","group":${JSON.stringify(origin.group)}${user},"dataType":"${dataType}","data":`;
}

/** A REST body, typed by its Content-Type the way the service maps it. */
export function payloadFromRest(body: Buffer, contentType: string | undefined, origin: Origin): Payload {
  const media = (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/json') {
    const text = body.toString('utf8');
    try {
      JSON.parse(text);
    } catch {
      throw new PayloadError(400, 'InvalidRequest', 'The body is not valid JSON.');
    }
    // The raw text goes into the frame as is: it is valid JSON, so the frame is too.
    return { open: head(origin, 'json') + text.trim(), raw: text };
  }
  if (media === 'text/plain') {
    const text = body.toString('utf8');
    return { open: head(origin, 'text') + JSON.stringify(text), raw: text };
  }
  if (media === 'application/octet-stream') {
    return { open: head(origin, 'binary') + JSON.stringify(body.toString('base64')), raw: body };
  }
  throw new PayloadError(
    415,
    'UnsupportedMediaType',
    `Content-Type ${media} is not supported; use application/json, text/plain or application/octet-stream.`,
  );
}

/** A client's `sendToGroup` data, already decoded from its frame. */
export function payloadFromClient(dataType: unknown, data: unknown, origin: Origin): Payload {
  switch (dataType) {
    case 'json':
      return { open: head(origin, 'json') + JSON.stringify(data ?? null), raw: JSON.stringify(data ?? null) };
    case 'text':
      if (typeof data !== 'string') throw new PayloadError(400, 'InvalidRequest', 'text data must be a string');
      return { open: head(origin, 'text') + JSON.stringify(data), raw: data };
    case 'binary':
    case 'protobuf':
      if (typeof data !== 'string')
        throw new PayloadError(400, 'InvalidRequest', `${dataType} data must be a base64 string`);
      return { open: head(origin, dataType) + JSON.stringify(data), raw: Buffer.from(data, 'base64') };
    default:
      throw new PayloadError(400, 'InvalidRequest', `unsupported dataType ${JSON.stringify(dataType)}`);
  }
}
