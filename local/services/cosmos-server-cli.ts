// The embedded Cosmos DB server's entry, in place of the package's own cli.js. Arguments:
// <port> <host> [journal folder]. Two differences from the package's server, whose request handler
// this mirrors (routes and store are the package's own):
// - it answers `connection: keep-alive`. The package's CLI hard-wires `connection: close`, so every
//   SDK call paid a new TCP connection on both sides (20-35 connects per booking in bench/booking;
//   ~7% of the host's CPU was `connect` alone);
// - given a journal folder, every change is journaled and each answer waits until the journal is
//   on disk up to the changes made before it (cosmos-journal.ts): data survives a kill.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Account from '@vercel/cosmosdb-server/lib/account/index.js';
import routes from '@vercel/cosmosdb-server/lib/routes.js';
import { CosmosJournal } from './cosmos-journal.js';

type Handler = (account: Account, req: IncomingMessage, res: ServerResponse, params: unknown) => Promise<unknown>;

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? '127.0.0.1';
const journal = process.argv[4] ? new CosmosJournal(process.argv[4]) : undefined;
let account: Account;

const QUERY_METRICS =
  'totalExecutionTimeInMs=0.00;queryCompileTimeInMs=0.00;queryLogicalPlanBuildTimeInMs=0.00;queryPhysicalPlanBuildTimeInMs=0.00;queryOptimizationTimeInMs=0.00;VMExecutionTimeInMs=0.00;indexLookupTimeInMs=0.00;documentLoadTimeInMs=0.00;systemFunctionExecuteTimeInMs=0.00;userFunctionExecuteTimeInMs=0.00;retrievedDocumentCount=0;retrievedDocumentSize=0;outputDocumentCount=1;outputDocumentSize=0;writeOutputTimeInMs=0.00;indexUtilizationRatio=0.00';

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = routes(req) as [unknown, Handler] | undefined;
  let body: Record<string, unknown>;
  if (route) {
    const [params, handler] = route;
    try {
      body = ((await handler(account, req, res, params)) ?? {}) as Record<string, unknown>;
    } catch (err) {
      console.error(err);
      body = { message: (err as Error).message };
      res.statusCode = 500;
    }
    if (res.statusCode > 399 && !body.message) body.message = '';
  } else {
    res.statusCode = 400;
    body = { message: 'no route' };
  }
  if (body && typeof body._etag === 'string') res.setHeader('etag', body._etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-location', `https://${req.headers.host}${req.url}`);
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (req.headers['x-ms-documentdb-populatequerymetrics'])
    res.setHeader('x-ms-documentdb-query-metrics', QUERY_METRICS);
  if (req.headers['a-im'] && res.statusCode === 200) {
    if (req.headers['if-none-match']) res.statusCode = 304;
    res.setHeader('etag', '1');
  }
  const payload = JSON.stringify(body);
  // Nothing this answer shows (a write it made, or one it read) may be lost after it is sent.
  if (journal) journal.whenDurable(journal.position, () => res.end(payload));
  else res.end(payload);
}

const server = createServer({ keepAlive: true }, (req, res) => {
  handle(req, res).catch((err: unknown) => {
    console.error(err);
    if (!res.writableEnded) {
      res.statusCode = 500;
      res.end('');
    }
  });
});
// Longer than any pause between SDK calls, so an idle pooled socket is not closed under a request
// that is already on its way (the agent would see ECONNRESET).
server.keepAliveTimeout = 120_000;
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  account = new Account(host === '0.0.0.0' || host === '::' ? 'localhost' : host, bound);
  journal?.open(account);
  console.log(`Ready to accept HTTP connections at ${host}:${bound}`);
});
