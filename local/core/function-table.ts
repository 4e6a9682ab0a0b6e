// The start-up table of registered functions, one line each, like `func start` prints.
import type { RegisteredFunction } from './registry.js';

interface TableSource {
  origin: string;
  registry: { functions: Map<string, RegisteredFunction> };
  routePrefix?: string;
}

export function describeTrigger(fn: RegisteredFunction, origin: string, routePrefix = 'api'): string {
  const t = fn.trigger;
  switch (t.type.toLowerCase()) {
    case 'httptrigger': {
      const methods = ((t.methods as string[] | undefined) ?? ['GET', 'POST']).join(',');
      const route = (t.route as string | undefined) ?? fn.name;
      return `[${methods}] ${origin}/${routePrefix ? routePrefix + '/' : ''}${route}`;
    }
    case 'timertrigger':
      return `timer ${String(t.schedule)}${t.runOnStartup ? ' (runOnStartup)' : ''}`;
    case 'servicebustrigger':
      return t.topicName
        ? `serviceBus topic ${String(t.topicName)}/${String(t.subscriptionName)}`
        : `serviceBus queue ${String(t.queueName)}`;
    case 'cosmosdbtrigger':
      return `cosmosDB ${String(t.databaseName)}/${String(t.containerName)}`;
    case 'orchestrationtrigger':
      return 'orchestration';
    case 'activitytrigger':
      return 'activity';
    case 'entitytrigger':
      return 'entity';
    default:
      return t.type;
  }
}

export function functionTable(source: TableSource): string[] {
  const fns = [...source.registry.functions.values()];
  const width = Math.max(8, ...fns.map((f) => f.name.length));
  return [
    'Functions:',
    ...fns.map((f) => `  ${f.name.padEnd(width)}  ${describeTrigger(f, source.origin, source.routePrefix)}`),
  ];
}
