// Bench-only preload (node --require dist/bench/support/trace-requests.js): counts the outgoing
// HTTP requests of the process it is loaded into — Azurite tables and queues, the Cosmos server,
// the host's own port — by target and by a normalised operation (ids collapsed), so a benchmark can
// say how many storage and Cosmos calls one booking costs. SIGUSR2 writes the counts to
// $MARQUEE_TRACE_FILE (JSON) and starts a fresh count. With $MARQUEE_CPU_PROFILE set, the first
// SIGUSR2 also starts a CPU profile and the next one writes it there (--cpu-prof is not allowed in
// NODE_OPTIONS, and this way the profile covers the measured phase only).
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { Session } from 'node:inspector';

const counts = new Map<string, number>();

/** `GET /dbs/x/colls/bookings/docs/abc` → `GET cosmos bookings docs/:id`; tables by table and op. */
function operation(req: ClientRequest): string {
  const path = req.path.split('?')[0]!;
  const method = req.method;
  const cosmos = /^\/dbs\/[^/]+(?:\/colls\/([^/]+))?(?:\/(docs|pkranges)(\/[^/]+)?)?/.exec(path);
  if (cosmos) {
    const kind = cosmos[2] ? `${cosmos[2]}${cosmos[3] ? '/:id' : ''}` : 'meta';
    const query = req.getHeader('x-ms-documentdb-isquery') ? ' query' : '';
    return `cosmos ${method} ${cosmos[1] ?? 'db'} ${kind}${query}`;
  }
  if (path === '/' || path === '') return `cosmos ${method} account`;
  const batch = /^\/[^/]+\/\$batch/.exec(path);
  if (batch) return `tables ${method} $batch`;
  const table = /^\/[^/]+\/([A-Za-z0-9]+)(\(.*\))?$/.exec(path);
  if (table) return `tables/queues ${method} ${table[1]}${table[2] ? '(key)' : ''}`;
  if (path.startsWith('/runtime/webhooks/durabletask'))
    return `host ${method} durable ${path.split('/').slice(4, 5).join('/')}${/raiseEvent/i.test(path) ? ' raiseEvent' : ''}`;
  return `other ${method} ${path.split('/').slice(0, 3).join('/')}`;
}

subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: ClientRequest };
  const key = operation(request);
  counts.set(key, (counts.get(key) ?? 0) + 1);
});

// New TCP connections by destination port: a client that does not reuse connections shows here.
subscribe('net.client.socket', (message) => {
  const { socket } = message as { socket: import('node:net').Socket };
  socket.once('connect', () => {
    const key = `connect :${socket.remotePort}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
});

// fetch (undici) does not publish on the http channel.
subscribe('undici:request:create', (message) => {
  const { request } = message as { request: { method: string; origin: string; path: string } };
  const key = `fetch ${request.method} ${request.origin}${request.path.split('?')[0]!.split('/').slice(0, 3).join('/')}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});

let profiler: Session | undefined;

function profile(): void {
  const out = process.env.MARQUEE_CPU_PROFILE;
  if (!out) return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler!.post('Profiler.start'));
    return;
  }
  const session = profiler;
  profiler = undefined;
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(out, JSON.stringify(result.profile));
    session.disconnect();
  });
}

process.on('SIGUSR2', () => {
  profile();
  const file = process.env.MARQUEE_TRACE_FILE;
  const sorted = Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1]));
  if (file) writeFileSync(file, JSON.stringify(sorted, null, 1));
  counts.clear();
});
