// What a connected client may say (client → service frames), and the answers.
// Permissions follow the token's roles; acks follow the client's retry rules: a failure
// other than `Duplicate` makes the client retry with a new ackId, so only successes are
// remembered, and a repeated ackId that already succeeded is answered `Duplicate` unprocessed.
import type { Hub } from './hub.js';
import { payloadFromClient, PayloadError } from './payload.js';
import type { Session } from './session.js';

export interface ClientEvent {
  hub: string;
  connectionId: string;
  userId: string | null;
  event: string;
  dataType: unknown;
  data: unknown;
}

/** Receives `event` frames; the real service forwards them to an upstream handler as CloudEvents. */
export type EventHandler = (event: ClientEvent) => void | Promise<void>;

interface Frame {
  type?: unknown;
  ackId?: unknown;
  group?: unknown;
  sequenceId?: unknown;
  noEcho?: unknown;
  dataType?: unknown;
  data?: unknown;
  event?: unknown;
}

type Outcome = { ok: true } | { ok: false; name: 'Forbidden' | 'BadRequest' | 'InternalServerError'; message: string };

const OK: Outcome = { ok: true };
const PONG = '{"type":"pong"}';

export async function handleClientFrame(
  text: string,
  session: Session,
  hub: Hub,
  onEvent: EventHandler | undefined,
): Promise<void> {
  let frame: Frame;
  try {
    frame = JSON.parse(text) as Frame;
  } catch {
    return; // Not JSON: the real service ignores it too rather than closing the connection.
  }
  if (typeof frame !== 'object' || frame === null) return;
  switch (frame.type) {
    case 'ping':
      return session.write(PONG);
    case 'sequenceAck':
      if (typeof frame.sequenceId === 'number') session.acknowledge(frame.sequenceId);
      return;
    case 'joinGroup':
    case 'leaveGroup':
    case 'sendToGroup':
    case 'event':
      break;
    default:
      return;
  }
  const ackId = typeof frame.ackId === 'number' ? frame.ackId : undefined;
  if (ackId !== undefined && session.hasAcked(ackId)) {
    return session.write(
      ack(ackId, { name: 'Duplicate', message: `Message with ackId ${ackId} was already processed.` }),
    );
  }
  let outcome: Outcome;
  try {
    outcome = await perform(frame, session, hub, onEvent);
  } catch (err) {
    outcome =
      err instanceof PayloadError
        ? { ok: false, name: 'BadRequest', message: err.message }
        : { ok: false, name: 'InternalServerError', message: (err as Error)?.message ?? String(err) };
  }
  if (ackId === undefined) return;
  if (outcome.ok) session.rememberAck(ackId);
  session.write(ack(ackId, outcome.ok ? undefined : { name: outcome.name, message: outcome.message }));
}

async function perform(frame: Frame, session: Session, hub: Hub, onEvent: EventHandler | undefined): Promise<Outcome> {
  if (frame.type === 'event') {
    if (typeof frame.event !== 'string' || frame.event === '')
      return { ok: false, name: 'BadRequest', message: 'event needs a name' };
    // No upstream is configured unless the host passes one: the event is accepted and dropped.
    await onEvent?.({
      hub: hub.name,
      connectionId: session.id,
      userId: session.userId,
      event: frame.event,
      dataType: frame.dataType,
      data: frame.data,
    });
    return OK;
  }
  const group = frame.group;
  if (typeof group !== 'string' || group === '' || group.length > 1024)
    return { ok: false, name: 'BadRequest', message: 'group must be a non-empty string of at most 1024 characters' };
  if (frame.type === 'sendToGroup') {
    if (!session.may('sendToGroup', group)) return forbidden(`send to group '${group}'`);
    const payload = payloadFromClient(frame.dataType, frame.data, { from: 'group', group, fromUserId: session.userId });
    const members = hub.groups.get(group);
    if (members) hub.deliver(frame.noEcho === true ? [...members].filter((s) => s !== session) : members, payload);
    return OK;
  }
  if (!session.may('joinLeaveGroup', group))
    return forbidden(`${frame.type === 'joinGroup' ? 'join' : 'leave'} group '${group}'`);
  if (frame.type === 'joinGroup') hub.join(session, group);
  else hub.leave(session, group);
  return OK;
}

function forbidden(what: string): Outcome {
  return { ok: false, name: 'Forbidden', message: `The connection has no permission to ${what}.` };
}

function ack(ackId: number, error: { name: string; message: string } | undefined): string {
  return JSON.stringify(error ? { type: 'ack', ackId, success: false, error } : { type: 'ack', ackId, success: true });
}
