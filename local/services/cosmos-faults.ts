// A fault-injecting HTTP proxy in front of a Cosmos DB endpoint (local/README.md, Fault injection),
// started only when a Cosmos fault is configured. Per request it may answer 429 with
// x-ms-retry-after-ms (what the SDK backs off on), answer 503, or forward the request and never
// answer it — the write may have happened, the caller cannot know: the ambiguity a real network
// timeout leaves. Everything else streams through unchanged on kept-alive connections.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from '../core/faults.js';

export interface CosmosFaultProxy {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startCosmosFaultProxy(target: string, host: string, faults: Faults): Promise<CosmosFaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const held = new Set<NodeJS.Timeout>();

  const forward = (req: IncomingMessage, res: ServerResponse, answer: boolean) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (upstreamRes) => {
        if (!answer) return void upstreamRes.resume();
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const refused = (status: number, code: string, headers: Record<string, string> = {}) => {
      req.resume();
      refuse(res, status, code, headers);
    };
    if (faults.roll('cosmos.429')) {
      const wait = 5 + Math.floor(faults.uniform('cosmos.429') * 50);
      return refused(429, 'TooManyRequests', { 'x-ms-retry-after-ms': String(wait), 'x-ms-substatus': '3200' });
    }
    if (faults.roll('cosmos.503')) return refused(503, 'ServiceUnavailable');
    if (faults.roll('cosmos.timeout')) {
      forward(req, res, false);
      const timer = setTimeout(() => {
        held.delete(timer);
        res.destroy();
      }, faults.settings.LOCAL_FAULTS_COSMOS_TIMEOUT_MS);
      held.add(timer);
      res.once('close', () => (clearTimeout(timer), held.delete(timer)));
      return;
    }
    forward(req, res, true);
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}/`,
    async stop() {
      for (const t of held) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function refuse(res: ServerResponse, status: number, code: string, headers: Record<string, string>): void {
  const body = JSON.stringify({ code, message: `Injected fault: ${code} (local/README.md, Fault injection).` });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-ms-activity-id': '00000000-0000-0000-0000-000000000000',
    ...headers,
  });
  res.end(body);
}
