// The pure parts of the storage bindings (local/storage/): binding expressions, blob path patterns,
// queue message encoding and payloads, host.json settings.
import { describe, expect, it } from 'vitest';
import { bindingData, resolveExpression } from '../../../../local/storage/expressions.js';
import { blobPattern } from '../../../../local/storage/blob-trigger.js';
import { decodeText, payload } from '../../../../local/storage/queue-trigger.js';
import { queueSettings } from '../../../../local/storage/settings.js';
import { storageBindingProblem } from '../../../../local/storage/validate.js';
import type { HostJson } from '../../../../local/core/host-json.js';

describe('binding expressions', () => {
  it('resolves trigger metadata, JSON payload properties, route and query values, settings', () => {
    const data = bindingData({ id: 'o-1', nested: { a: 2 } }, { queueTrigger: 'text', id: 'message-id' });
    const env = { CONTAINER: 'receipts' };
    expect(resolveExpression('%CONTAINER%/{ID}-{queueTrigger}-{nested.a}.json', data, env)).toBe(
      'receipts/o-1-text-2.json',
    );
    const request = { params: { name: 'ada' }, query: new URLSearchParams('size=3') };
    expect(resolveExpression('pics/{name}/{Query.size}', bindingData(request, undefined), {})).toBe('pics/ada/3');
    expect(resolveExpression('x/{rand-guid}', {}, {})).toMatch(/^x\/[0-9a-f-]{36}$/);
  });

  it('fails an expression without a value, naming it', () => {
    expect(() => resolveExpression('x/{missing}', {}, {})).toThrow(/No value for named parameter 'missing'/);
    expect(() => resolveExpression('%UNSET%/x', {}, {})).toThrow(/UNSET/);
  });
});

describe('blob path patterns', () => {
  it('splits the container, lists by the literal prefix and names the parts', () => {
    const p = blobPattern('images/in/{name}.{ext}');
    expect(p).toMatchObject({ container: 'images', prefix: 'in/' });
    expect(p.match('in/cat.large.png')).toEqual({ name: 'cat', ext: 'large.png' });
    expect(p.match('out/cat.png')).toBeUndefined();
    expect(blobPattern('uploads').match('any/thing')).toEqual({});
    expect(() => blobPattern('{container}/x')).toThrow(/container/);
  });
});

describe('queue messages', () => {
  it('decodes base64 as the extension does, and refuses what is not base64', () => {
    expect(decodeText(Buffer.from('héllo').toString('base64'), 'base64')).toBe('héllo');
    expect(decodeText('not base64!', 'base64')).toBeUndefined();
    expect(decodeText('plain', 'none')).toBe('plain');
  });

  it('hands a JSON object or array over parsed, anything else as text', () => {
    expect(payload('{"id":1}')).toEqual({ id: 1 });
    expect(payload('[1,2]')).toEqual([1, 2]);
    expect(payload('42')).toBe('42');
    expect(payload('{broken')).toBe('{broken');
  });

  it('reads host.json extensions.queues with the extension defaults', () => {
    const hostJson = (queues?: object) => ({ raw: { extensions: queues ? { queues } : {} } }) as unknown as HostJson;
    expect(queueSettings(hostJson())).toEqual({
      batchSize: 16,
      maxDequeueCount: 5,
      visibilityTimeoutSeconds: 0,
      maxPollingIntervalMs: 60_000,
      encoding: 'base64',
    });
    expect(
      queueSettings(hostJson({ maxDequeueCount: 3, maxPollingInterval: '00:00:02', visibilityTimeout: '00:00:30' })),
    ).toMatchObject({ maxDequeueCount: 3, maxPollingIntervalMs: 2000, visibilityTimeoutSeconds: 30 });
    expect(() => queueSettings(hostJson({ messageEncoding: 'utf8' }))).toThrow(/messageEncoding/);
  });
});

describe('storage bindings checked at start', () => {
  const fn = (bindings: Record<string, Record<string, unknown>>) => {
    const all: Record<string, Record<string, unknown>> = Object.fromEntries(
      Object.entries(bindings).map(([k, b]) => [k, { name: k, direction: 'in', ...b }]),
    );
    const trigger = Object.values(all).find((b) => /trigger$/i.test(String(b.type)))!;
    return { name: 'f', metadata: { name: 'f', bindings: all }, callback: () => undefined, trigger } as never;
  };

  it('names the function, the binding and the option that the real host would refuse', () => {
    expect(storageBindingProblem(fn({ t: { type: 'queueTrigger', queueName: 'Orders' } }), {})).toMatch(
      /Function 'f': queueTrigger option 'queueName': "Orders" is not a valid queue name/,
    );
    expect(
      storageBindingProblem(
        fn({ t: { type: 'queueTrigger', queueName: '%Q%' }, out: { type: 'table', tableName: 'x' } }),
        { Q: 'orders' },
      ),
    ).toMatch(/binding 'out' \(table\) option 'tableName': "x" is not a valid table name/);
    expect(storageBindingProblem(fn({ t: { type: 'blobTrigger', path: '%MISSING%/{name}' } }), {})).toMatch(
      /option 'path': it refers to setting %MISSING%/,
    );
  });

  it('leaves expressions of the trigger data to each invocation', () => {
    const ok = fn({
      t: { type: 'queueTrigger', queueName: 'orders' },
      blob: { type: 'blob', direction: 'out', path: 'receipts/{id}.json' },
      q: { type: 'queue', direction: 'out', queueName: '{queueTrigger}' },
    });
    expect(storageBindingProblem(ok, {})).toBeUndefined();
    expect(storageBindingProblem(fn({ t: { type: 'queueTrigger', queueName: '{name}' } }), {})).toMatch(/queueName/);
  });
});
