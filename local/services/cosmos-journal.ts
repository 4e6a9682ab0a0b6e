// Durability for the embedded Cosmos DB server, which keeps its data in memory
// (@vercel/cosmosdb-server): an append-only journal of every change to its databases, containers
// and documents, handed to the operating system (write) before the answer that acknowledges the
// change leaves — cosmos-server-cli.ts holds every answer until the journal holds the changes made
// before it. Killing the server or the host at any moment (SIGKILL included) therefore loses no
// acknowledged write: the kernel has it. The file is fdatasync'd every SYNC_EVERY_MS as well, which
// bounds what a power cut or an OS crash can take to that window (waiting for the disk before every
// answer cost ~5 ms per write: 20 s more for the demo catalog's first load).
//
// At start the journal is replayed into the server's store with each resource exactly as it was
// (`_rid`, `_etag`, `_ts` kept, so ETags and change-feed positions survive), then rewritten as a
// compact snapshot. A torn last line was never acknowledged and is dropped.
//
// The server has no hook for this, so the journal wraps the two methods every change goes through
// in its store (`Items._set` and `Items.delete`, the base of databases, containers and documents).
// User-defined functions and the derived partition key ranges are not journaled.
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  write,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type Account from '@vercel/cosmosdb-server/lib/account/index.js';
import Items from '@vercel/cosmosdb-server/lib/account/items.js';
import Databases from '@vercel/cosmosdb-server/lib/account/databases.js';
import Collections from '@vercel/cosmosdb-server/lib/account/collections.js';
import Documents from '@vercel/cosmosdb-server/lib/account/documents.js';

type Resource = { _rid: string } & Record<string, unknown>;

/** The store's internals the journal reads and writes (they are not in the package's typings). */
interface Container {
  _parent: { read(): Resource | undefined };
  _data: Map<string, { read(): Resource; collections?: Container; documents?: Container }>;
  _ridCount: number;
  _set(data: Resource): Resource;
  _item(keyPath: string, value: string, partition: unknown): { read(): Resource | undefined };
  delete(idOrRid: string, partition?: unknown): void;
}

/** One line: a resource set into the container under `s` (its parent's rid, '' for the account), or a rid deleted from `x`. */
type Entry = { s: string; n: number; d: Resource } | { x: string; r: string };

const FILE = 'journal.ndjson';
const SYNC_EVERY_MS = 200;

export class CosmosJournal {
  private fd = -1;
  private pending: string[] = [];
  private appended = 0;
  private durable = 0;
  private flushing = false;
  private unsynced = false;
  private syncing = false;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];

  constructor(private readonly dir: string) {}

  /** Replays the journal into `account`, compacts it, and journals every change from now on. */
  open(account: Account): void {
    const file = join(this.dir, FILE);
    if (existsSync(file)) replay(account, readFileSync(file, 'utf8'), file);
    const temp = `${file}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    writeSync(fd, snapshot(account));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, file);
    this.fd = openSync(file, 'a', 0o600);
    install(this);
    setInterval(() => this.sync(), SYNC_EVERY_MS).unref();
  }

  /** Sequence number of the last change made so far; an answer sent after waiting for it acknowledges nothing lost. */
  get position(): number {
    return this.appended;
  }

  /** Calls `then` once every change up to `seq` is written (at once when it already is). */
  whenDurable(seq: number, then: () => void): void {
    if (seq <= this.durable) return then();
    this.waiters.push({ seq, resolve: then });
    this.flush();
  }

  record(entry: Entry): void {
    this.pending.push(JSON.stringify(entry) + '\n');
    this.appended++;
  }

  /** Group commit: one write for every change made since the last one. */
  private flush(): void {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const chunk = Buffer.from(this.pending.join(''));
    const upTo = this.appended;
    this.pending = [];
    const failed = (err: Error) => {
      // The memory now holds changes the disk may not: stop, so the supervisor restarts the server
      // from the journal and nothing unjournaled is ever acknowledged.
      process.stderr.write(`Cosmos journal: cannot write ${this.dir}: ${err.message}\n`);
      process.exit(70);
    };
    write(this.fd, chunk, (err, written) => {
      if (err) return failed(err);
      if (written !== chunk.length) return failed(new Error(`short write (${written} of ${chunk.length} bytes)`));
      this.durable = upTo;
      this.unsynced = true;
      this.flushing = false;
      const ready = this.waiters.filter((w) => w.seq <= upTo);
      if (ready.length) {
        const later = this.waiters.filter((w) => w.seq > upTo);
        this.waiters.splice(0, this.waiters.length, ...later);
        for (const w of ready) w.resolve();
      }
      if (this.waiters.length) this.flush();
    });
  }

  private sync(): void {
    if (!this.unsynced || this.syncing) return;
    this.unsynced = false;
    this.syncing = true;
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (err) process.stderr.write(`Cosmos journal: fdatasync failed: ${err.message}\n`);
    });
  }
}

/** '' for the account's databases, else the parent's rid; undefined for containers not journaled. */
function keyOf(container: Container): string | undefined {
  if (container instanceof Databases) return '';
  if (container instanceof Collections || container instanceof Documents) return container._parent.read()?._rid;
  return undefined;
}

let active: CosmosJournal | undefined;

function install(journal: CosmosJournal): void {
  if (active) throw new Error('one Cosmos journal per process');
  active = journal;
  const proto = Items.prototype as unknown as Container;
  const set = proto._set;
  const remove = proto.delete;
  proto._set = function (this: Container, data: Resource) {
    const stored = set.call(this, data);
    const key = keyOf(this);
    if (key !== undefined) active!.record({ s: key, n: this._ridCount, d: stored });
    return stored;
  };
  proto.delete = function (this: Container, idOrRid: string, partition?: unknown) {
    const rid = this._item('/id', idOrRid, partition).read()?._rid;
    remove.call(this, idOrRid, partition);
    const key = keyOf(this);
    if (key !== undefined && rid) active!.record({ x: key, r: rid });
  };
}

function containers(account: Account): Map<string, Container> {
  const map = new Map<string, Container>([['', account.databases as unknown as Container]]);
  for (const [dbRid, db] of (account.databases as unknown as Container)._data) {
    map.set(dbRid, db.collections!);
    for (const [collRid, coll] of db.collections!._data) map.set(collRid, coll.documents!);
  }
  return map;
}

function replay(account: Account, text: string, file: string): void {
  const map = containers(account);
  const lines = text.split('\n');
  // The text ends with '\n' when the last write completed; anything after it is a torn write that
  // was never acknowledged.
  const complete = lines.slice(0, -1);
  complete.forEach((line, i) => {
    if (!line) return;
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
    } catch {
      throw new Error(`${file}: line ${i + 1} is not JSON; move the file away or start with --fresh`);
    }
    if ('s' in entry) {
      const container = map.get(entry.s);
      if (!container) return; // its database or container was deleted later in the same run
      container._ridCount = Math.max(container._ridCount, entry.n);
      container._set(entry.d);
      const item = container._data.get(entry.d._rid);
      if (item?.collections) map.set(entry.d._rid, item.collections);
      if (item?.documents) map.set(entry.d._rid, item.documents);
    } else {
      const container = map.get(entry.x);
      if (!container?._data.has(entry.r)) return;
      container.delete(entry.r);
      map.delete(entry.r);
    }
  });
}

function snapshot(account: Account): string {
  const out: string[] = [];
  const dbs = account.databases as unknown as Container;
  for (const [dbRid, db] of dbs._data) {
    out.push(JSON.stringify({ s: '', n: dbs._ridCount, d: db.read() }));
    const colls = db.collections!;
    for (const [collRid, coll] of colls._data) {
      out.push(JSON.stringify({ s: dbRid, n: colls._ridCount, d: coll.read() }));
      const docs = coll.documents!;
      for (const doc of docs._data.values()) out.push(JSON.stringify({ s: collRid, n: docs._ridCount, d: doc.read() }));
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
