// The storage binding options the real host checks when it indexes a function: a queue, table or
// blob container name that is not valid, or a `%Setting%` that is not set, stops start-up with the
// function and the option named. Names still holding `{expressions}` are checked per invocation.
import type { Binding, RegisteredFunction } from '../core/registry.js';
import { resolvePlaceholders } from '../core/placeholders.js';
import { isValidQueueName } from '../service-bus/names.js';

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/** The first problem of a function's storage bindings, as one line; undefined when there is none. */
export function storageBindingProblem(fn: RegisteredFunction, env: NodeJS.ProcessEnv): string | undefined {
  for (const [name, b] of Object.entries(fn.metadata.bindings)) {
    const type = String(b.type).toLowerCase();
    // A trigger's names are fixed; an input's or output's may hold expressions of the trigger's data.
    const fixed = type.endsWith('trigger');
    const check = (key: string, valid: (v: string) => boolean, what: string): string | undefined => {
      const raw = b[key];
      if (raw === undefined || raw === null || raw === '') return `option '${key}' is missing`;
      let value: string;
      try {
        value = resolvePlaceholders(String(raw as string), env);
      } catch (err) {
        return `option '${key}': ${(err as Error).message}`;
      }
      return (!fixed && value.includes('{')) || valid(value)
        ? undefined
        : `option '${key}': "${value}" is not a valid ${what}`;
    };
    const problem =
      type === 'queue' || type === 'queuetrigger'
        ? check('queueName', isValidQueueName, 'queue name (3-63 lower-case letters, digits, single dashes)')
        : type === 'table'
          ? check('tableName', (v) => TABLE_NAME.test(v), 'table name (3-63 letters and digits, a letter first)')
          : type === 'blob' || type === 'blobtrigger'
            ? check(
                'path',
                (v) => isValidQueueName(v.split('/')[0]!) && v.includes('/'),
                'blob path (<container>/<blob>)',
              )
            : undefined;
    if (problem) return `Function '${fn.name}': ${bindingLabel(name, b)} ${problem}`;
  }
  return undefined;
}

function bindingLabel(name: string, b: Binding): string {
  return /trigger$/i.test(String(b.type)) ? `${b.type}` : `binding '${name}' (${b.type})`;
}
