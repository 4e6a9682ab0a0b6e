// The broker's entities, taken from the registrations (no second list of entities): a
// `serviceBusTrigger` names a queue or a topic subscription; a `serviceBus` output binding names a
// queue or topic the app sends to. Names may carry `%Setting%` placeholders, resolved as the host does.
import type { Binding, Registry } from '../core/registry.js';
import { resolvePlaceholders } from '../core/placeholders.js';
import type { EntityRef } from './names.js';

export interface Topology {
  queues: Set<string>;
  /** topic → its subscriptions (a topic nobody subscribes to drops what it gets, as in Azure). */
  topics: Map<string, Set<string>>;
  /** Each trigger function with the entity it listens on. */
  listeners: { functionName: string; ref: EntityRef }[];
}

export function topologyFrom(registry: Registry, env: NodeJS.ProcessEnv): Topology {
  const topology: Topology = { queues: new Set(), topics: new Map(), listeners: [] };
  const topic = (name: string) => {
    let subs = topology.topics.get(name);
    if (!subs) topology.topics.set(name, (subs = new Set()));
    return subs;
  };
  for (const fn of registry.functions.values()) {
    const name = (b: Binding, key: string) =>
      typeof b[key] === 'string' ? resolve(String(b[key]), env, fn.name, key) : undefined;
    for (const binding of Object.values(fn.metadata.bindings)) {
      const type = binding.type.toLowerCase();
      if (type === 'servicebustrigger') {
        const queue = name(binding, 'queueName');
        const topicName = name(binding, 'topicName');
        const subscription = name(binding, 'subscriptionName');
        if (queue) {
          topology.queues.add(queue);
          topology.listeners.push({ functionName: fn.name, ref: { kind: 'queue', queue } });
        } else if (topicName && subscription) {
          topic(topicName).add(subscription);
          topology.listeners.push({
            functionName: fn.name,
            ref: { kind: 'subscription', topic: topicName, subscription },
          });
        } else {
          throw new Error(
            `Service Bus function "${fn.name}" names neither queueName nor topicName with subscriptionName.`,
          );
        }
      } else if (type === 'servicebus' && binding.direction === 'out') {
        const queue = name(binding, 'queueName');
        const topicName = name(binding, 'topicName');
        if (queue) topology.queues.add(queue);
        else if (topicName) topic(topicName);
        else throw new Error(`Service Bus output of "${fn.name}" names neither queueName nor topicName.`);
      }
    }
  }
  for (const q of topology.queues) {
    if (topology.topics.has(q))
      throw new Error(`"${q}" is used both as a Service Bus queue and a topic; they share one namespace.`);
  }
  return topology;
}

function resolve(raw: string, env: NodeJS.ProcessEnv, functionName: string, key: string): string {
  try {
    return resolvePlaceholders(raw, env);
  } catch (err) {
    throw new Error(`Service Bus binding of "${functionName}": ${key} "${raw}": ${(err as Error).message}`);
  }
}
