// GroupCommit (shared/recommendations/group-commit.ts): changes of one document made while a write
// of it is in flight go together in the next write, in order; each caller learns how its write went.
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../shared/recommendations/group-commit.js';
import type { Mutator } from '../../../shared/ports/documents.js';

interface Doc {
  items: string[];
}

/** A store of one document whose writes the test completes by hand. */
function store() {
  let doc: Doc = { items: [] };
  const writes: { fn: Mutator<Doc>; finish: (fail?: Error) => void }[] = [];
  const write = (fn: Mutator<Doc>) =>
    new Promise<void>((resolve, reject) => {
      writes.push({
        fn,
        finish: (fail) => {
          if (fail) return reject(fail);
          doc = fn(doc) ?? doc;
          resolve();
        },
      });
    });
  return { write, writes, doc: () => doc };
}

const add =
  (item: string): Mutator<Doc> =>
  (d) =>
    d.items.includes(item) ? undefined : { items: [...d.items, item] };

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes the changes queued behind an in-flight write together, in order', async () => {
    const s = store();
    const commits = new GroupCommit<Doc>();
    const a = commits.apply('d', add('a'), s.write);
    const rest = ['b', 'c', 'd'].map((x) => commits.apply('d', add(x), s.write));
    expect(s.writes).toHaveLength(1);
    s.writes[0]!.finish();
    await a;
    await tick();
    expect(s.writes).toHaveLength(2);
    s.writes[1]!.finish();
    await Promise.all(rest);
    expect(s.doc().items).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a change that is already there writes nothing new, and other documents do not wait', async () => {
    const s = store();
    const other = store();
    const commits = new GroupCommit<Doc>();
    const first = commits.apply('d', add('a'), s.write);
    const elsewhere = commits.apply('e', add('z'), other.write);
    expect(other.writes).toHaveLength(1);
    other.writes[0]!.finish();
    await elsewhere;
    s.writes[0]!.finish();
    await first;
    const again = commits.apply('d', add('a'), s.write);
    await tick();
    expect(s.writes[1]!.fn(s.doc())).toBeUndefined();
    s.writes[1]!.finish();
    await again;
    expect(s.doc().items).toEqual(['a']);
  });

  it('a failed write fails every change it carried, and the next batch still goes', async () => {
    const s = store();
    const commits = new GroupCommit<Doc>();
    const a = commits.apply('d', add('a'), s.write);
    const b = commits.apply('d', add('b'), s.write);
    const c = commits.apply('d', add('c'), s.write);
    s.writes[0]!.finish();
    await a;
    await tick();
    s.writes[1]!.finish(new Error('Cosmos is away'));
    await expect(b).rejects.toThrow('Cosmos is away');
    await expect(c).rejects.toThrow('Cosmos is away');
    const retried = commits.apply('d', add('b'), s.write);
    await tick();
    s.writes[2]!.finish();
    await retried;
    expect(s.doc().items).toEqual(['a', 'b']);
  });
});
