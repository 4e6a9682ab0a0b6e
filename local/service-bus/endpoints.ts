// Local endpoints under /.local/servicebus/ (no Azure equivalent; the portal's Service Bus
// Explorer plays this part there):
//   GET  /.local/servicebus/entities                                   entities with message counts
//   POST /.local/servicebus/topics/{topic}/messages                    publish (body: message or array)
//   POST /.local/servicebus/queues/{queue}/messages
//   GET  /.local/servicebus/topics/{topic}/subscriptions/{sub}/deadletter    peek the DLQ (≤ 32)
//   GET  /.local/servicebus/queues/{queue}/deadletter
//   POST …/deadletter/{messageId}/resubmit                             move one back, delivery count reset
// A published message is `{body, messageId?, contentType?, correlationId?, subject?,
// applicationProperties?}`, always an envelope here (unlike output bindings, see envelope.ts).
// They are the host's control plane: the master key is required (core/control-plane.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sendProblem } from '../core/http-server.js';
import type { ControlPlane } from '../core/control-plane.js';
import type { RawHandler } from '../core/plugin.js';
import { EntityNotFoundError, type LocalServiceBus } from './broker.js';
import type { OutgoingMessage } from './envelope.js';
import type { EntityRef } from './names.js';

export const PREFIX = '/.local/servicebus/';

export function serviceBusEndpoints(bus: LocalServiceBus, controlPlane: ControlPlane): RawHandler {
  return async (req, res, url) => {
    if (!(await controlPlane.admit(req, res, url, { key: 'admin' }))) return;
    const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    try {
      if (req.method === 'GET' && parts.length === 1 && parts[0] === 'entities') {
        return sendJson(res, 200, { prefix: bus.prefix, entities: await bus.info() });
      }
      const target = entityOf(parts);
      if (!target) return false;
      const { ref, name, rest } = target;
      if (req.method === 'POST' && rest.length === 1 && rest[0] === 'messages')
        return await publish(bus, name, req, res);
      if (!ref) return false;
      if (req.method === 'GET' && rest.length === 1 && rest[0] === 'deadletter') {
        return sendJson(res, 200, { messages: await bus.deadLetters(ref) });
      }
      if (req.method === 'POST' && rest.length === 3 && rest[0] === 'deadletter' && rest[2] === 'resubmit') {
        const ok = await bus.resubmit(ref, rest[1]!);
        if (!ok)
          return sendProblem(res, 404, 'Not Found', `No dead-lettered message with id "${rest[1]}".`, 'NOT_FOUND');
        return sendJson(res, 200, { resubmitted: rest[1] });
      }
      return false;
    } catch (err) {
      if (err instanceof EntityNotFoundError) return sendProblem(res, 404, 'Not Found', err.message, 'NOT_FOUND');
      throw err;
    }
  };
}

/** `topics/t[/subscriptions/s]/…` or `queues/q/…`; ref is set when the path names a receivable entity. */
function entityOf(parts: string[]): { name: string; ref?: EntityRef; rest: string[] } | undefined {
  if (parts[0] === 'queues' && parts[1])
    return { name: parts[1], ref: { kind: 'queue', queue: parts[1] }, rest: parts.slice(2) };
  if (parts[0] !== 'topics' || !parts[1]) return undefined;
  if (parts[2] === 'subscriptions' && parts[3]) {
    return {
      name: parts[1],
      ref: { kind: 'subscription', topic: parts[1], subscription: parts[3] },
      rest: parts.slice(4),
    };
  }
  return { name: parts[1], rest: parts.slice(2) };
}

async function publish(bus: LocalServiceBus, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readBody(req)).toString('utf8'));
  } catch {
    return sendProblem(
      res,
      400,
      'Bad Request',
      'The body must be JSON: {body, messageId?, ...} or an array of them.',
      'VALIDATION',
    );
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.every((m) => m && typeof m === 'object' && 'body' in m)) {
    return sendProblem(res, 400, 'Bad Request', 'Each message needs a "body".', 'VALIDATION');
  }
  const sent = await bus.publish(name, list as OutgoingMessage[]);
  sendJson(res, 201, { messages: sent.map((m) => ({ messageId: m.messageId, sequenceNumber: m.sequenceNumber })) });
}
