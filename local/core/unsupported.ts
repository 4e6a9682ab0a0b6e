// What the app registered that no started plugin plays, found at start like the real host's
// indexing warnings, instead of on the first call: a trigger nobody fires (eventHubTrigger, entityTrigger:
// Durable entities), an input nobody supplies, an output nobody delivers (twilioSms, sendGrid…).
import type { Invoker } from './invoke.js';
import type { Registry } from './registry.js';

export function unsupportedBindings(registry: Registry, invoker: Invoker, triggers: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const fn of registry.functions.values()) {
    for (const [name, b] of Object.entries(fn.metadata.bindings)) {
      const type = String(b.type);
      if (b === fn.trigger) {
        if (!triggers.has(type.toLowerCase()))
          lines.push(
            `Function '${fn.name}': trigger '${type}' is not supported by the local host; it will never run here${type.toLowerCase() === 'entitytrigger' ? ' (Durable entities are not implemented)' : ''}`,
          );
      } else if (b.direction === 'out' && !invoker.deliversOutput(type)) {
        lines.push(
          `Function '${fn.name}': output binding '${name}' (${type}) is not supported by the local host; an invocation that sets it fails`,
        );
      } else if (b.direction !== 'out' && !invoker.suppliesInput(type)) {
        lines.push(
          `Function '${fn.name}': input binding '${name}' (${type}) is not supported by the local host; it reads undefined`,
        );
      }
    }
  }
  return lines;
}
