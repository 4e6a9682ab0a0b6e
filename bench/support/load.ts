// autocannon, driven from code: one load run against a URL, reduced to the figures we compare.
// autocannon ships no types; the few fields used are declared here.
import { cpuMs } from './proc.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /**
   * CPU time (user + system) the serving process spent per request, when its pid was given: far
   * less disturbed than req/s when other work shares the machine.
   */
  cpuUsPerRequest?: number;
}

export async function load(
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string>; pid?: number },
): Promise<LoadResult> {
  const before = options.pid === undefined ? undefined : cpuMs(options.pid);
  const r = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const after = options.pid === undefined ? undefined : cpuMs(options.pid);
  return {
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    ...(before !== undefined && after !== undefined && r.requests.total > 0
      ? { cpuUsPerRequest: Math.round(((after - before) * 1000) / r.requests.total) }
      : {}),
  };
}
