// The local Service Bus broker (local/README.md, Plugins). Entities come from the
// registrations (topology.ts); messages live in Azurite queues (names.ts, envelope.ts); each
// `serviceBusTrigger` gets a peek-lock pump (receiver.ts); values written to `serviceBus` output
// bindings are published; /.local/servicebus/ lists, publishes and resubmits (endpoints.ts).
//
// Settings: MARQUEE_SB_PREFIX (queue name prefix, default `sb`); host.json
// extensions.serviceBus.maxConcurrentCalls / maxDeliveryCount / lockDuration /
// maxAutoLockRenewalDuration. The `connection` setting is ignored: there is one local namespace.
import { parseLocalConfig } from '../config.js';
import { timeSpanMs } from '../core/host-json.js';
import type { HostContext, HostPlugin } from '../core/plugin.js';
import { LocalServiceBus } from './broker.js';
import { fromOutputValue, type OutgoingMessage, type StoredMessage } from './envelope.js';
import { PREFIX, serviceBusEndpoints } from './endpoints.js';
import { Receiver } from './receiver.js';
import { topologyFrom } from './topology.js';
import { resolvePlaceholders } from '../core/placeholders.js';

// Other plugins reach the broker of *their* host through this map (keyed by the host context, so
// two hosts in one process, as in tests, stay apart).
const brokers = new WeakMap<HostContext, LocalServiceBus>();

/** The running broker of a host, for plugins that publish (e.g. payments webhooks). */
export function serviceBusOf(host: HostContext): LocalServiceBus {
  const bus = brokers.get(host);
  if (!bus) throw new Error('The Service Bus plugin has not started on this host.');
  return bus;
}

/** Publishes to a queue or topic of a host's broker; resolves to the stored messages (ids, sequence numbers). */
export function publish(
  host: HostContext,
  name: string,
  messages: OutgoingMessage | OutgoingMessage[],
): Promise<StoredMessage[]> {
  return serviceBusOf(host).publish(name, messages);
}

export const serviceBusPlugin: HostPlugin = {
  name: 'service-bus',
  triggers: ['serviceBusTrigger'],
  async start(host) {
    const { MARQUEE_SB_PREFIX: prefix } = parseLocalConfig(host.env);
    const topology = topologyFrom(host.registry, host.env);
    const bus = new LocalServiceBus(host.storageConnectionString, prefix, topology, host.log);
    await bus.ensure();
    brokers.set(host, bus);

    host.invoker.handleOutput('serviceBus', async (binding, value, _fn, traceParent) => {
      const raw = String(binding.topicName ?? binding.queueName);
      // Arrays are several messages; each element may be a body or an envelope (envelope.ts).
      const messages = (Array.isArray(value) ? value : [value]).map(fromOutputValue);
      const entity = resolvePlaceholders(raw, host.env);
      // The binding's send, as the host's Service Bus extension traces it (core/tracing.ts).
      const span = traceParent
        ? host.tracer.start(`servicebus send ${entity}`, 'producer', traceParent, {
            'messaging.system': 'servicebus',
            'messaging.destination.name': entity,
            'messaging.batch.message_count': messages.length,
          })
        : undefined;
      try {
        await bus.publish(entity, messages);
        span?.end('ok');
      } catch (err) {
        span?.end('error', {}, (err as Error)?.message);
        throw err;
      }
    });
    host.mount(PREFIX, serviceBusEndpoints(bus, host.controlPlane));

    const sb = host.hostJson.serviceBus;
    const ext =
      ((host.hostJson.raw.extensions ?? {}) as Record<string, Record<string, unknown> | undefined>).serviceBus ?? {};
    const receivers = topology.listeners.map(({ functionName, ref }) => {
      const fn = host.registry.get(functionName)!;
      return new Receiver(host, bus, fn, ref, {
        maxConcurrentCalls: Math.max(1, sb.maxConcurrentCalls),
        maxDeliveryCount: sb.maxDeliveryCount,
        lockDurationMs: sb.lockDurationMs,
        maxAutoLockRenewalMs: timeSpanMs(ext.maxAutoLockRenewalDuration, 5 * 60_000),
        cardinality: fn.trigger.cardinality === 'many' ? 'many' : 'one',
      });
    });
    for (const r of receivers) r.start();
    host.announce(
      `Service Bus: ${topology.queues.size} queues, ${topology.topics.size} topics, ${receivers.length} listeners (Azurite queues "${prefix}-…"; ${host.origin}${PREFIX}entities)`,
    );
    return {
      stop: async () => {
        await Promise.all(receivers.map((r) => r.stop()));
        brokers.delete(host);
      },
    };
  },
};

export { LocalServiceBus, EntityNotFoundError } from './broker.js';
export type { OutgoingMessage, StoredMessage } from './envelope.js';
export { storageQueueName, type EntityRef } from './names.js';
