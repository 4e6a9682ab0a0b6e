// One JSON call to a bench's own local host, as a client would make it: a bearer token when given,
// the host key on its control plane (/.local/*, the payment simulator's books), and a 503 (a busy
// database, a host still starting) waited out after its Retry-After a few times before it counts.
import type { SpawnedHost } from '../../test/support/spawn-host.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTROL_PLANE = /^\/\.(local|payments\/v1\/_simulator)\//;

export async function hostCall(
  host: SpawnedHost,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  attempt = 1,
): Promise<Json> {
  const res = await fetch(host.origin + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(CONTROL_PLANE.test(path) ? { 'x-functions-key': host.masterKey } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status === 503 && attempt < 5) {
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    return hostCall(host, token, method, path, body, attempt + 1);
  }
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Json) : {};
}
