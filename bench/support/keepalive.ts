// A load generator's HTTP client for the benches that share the machine with the host they measure.
import { Agent, request as httpRequest } from 'node:http';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * One request over node:http with a keep-alive pool. The load generator shares the machine's two
 * cores with the host: fetch (undici) cost it ~0.8 ms of CPU per request here, this ~0.3 ms, and
 * what it spends the host cannot (its own CPU per request is reported as benchCpuMsEach).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
export function request(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      origin + path,
      { method, agent, headers: payload ? { ...headers, 'content-type': 'application/json' } : headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolvePromise({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Json) : {} });
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
