// The embedded Cosmos DB server's entry, in place of the package's own cli.js: the same server,
// but answering `connection: keep-alive`. The package's CLI hard-wires `connection: close`, so
// every SDK call paid a new TCP connection on both sides (20-35 connects per booking in
// bench/booking; ~7% of the host's CPU was `connect` alone). Arguments: <port> <host>.
import { createHttpServer } from '@vercel/cosmosdb-server';

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? '127.0.0.1';
const server = createHttpServer({ keepAlive: true });
// Longer than any pause between SDK calls, so an idle pooled socket is not closed under a request
// that is already on its way (the agent would see ECONNRESET).
server.keepAliveTimeout = 120_000;
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`Ready to accept HTTP connections at ${host}:${bound}`);
});
