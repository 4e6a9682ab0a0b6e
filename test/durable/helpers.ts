// Shared by the durable tests: the fixture host and small calls against the Durable HTTP API.
import { expect } from 'vitest';
import type { TestHost } from '../support/local-host.js';

export const FIXTURE = 'dist/test/fixtures/durable-app.js';
export const API = '/runtime/webhooks/durabletask';

export interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: {
    EventType: string;
    EventId: number;
    FunctionName?: string;
    TimerId?: number;
    FireAt?: string;
    Result?: unknown;
    Name?: string;
  }[];
}

export async function start(host: TestHost, name: string, id: string, input?: unknown): Promise<Response> {
  return fetch(host.url(`${API}/orchestrators/${name}/${encodeURIComponent(id)}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...host.admin },
    body: input === undefined ? '' : JSON.stringify(input),
  });
}

export async function status(host: TestHost, id: string, query = ''): Promise<Status | undefined> {
  const res = await fetch(host.url(`${API}/instances/${encodeURIComponent(id)}${query}`), { headers: host.admin });
  if (res.status === 404) return undefined;
  return (await res.json()) as Status;
}

/** Polls until the instance reaches a terminal state (or the given one). */
export async function waitFor(
  host: TestHost,
  id: string,
  statuses = ['Completed', 'Failed', 'Terminated'],
  timeoutMs = 20_000,
): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  let last: Status | undefined;
  while (Date.now() < deadline) {
    last = await status(host, id, '?showHistory=true&showHistoryOutput=true').catch(() => undefined);
    if (last && statuses.includes(last.runtimeStatus)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${id} did not reach ${statuses.join('/')}; last: ${JSON.stringify(last)}`);
}

export async function raise(
  host: TestHost,
  id: string,
  event: string,
  data: unknown,
  contentType = 'application/json',
): Promise<number> {
  const res = await fetch(host.url(`${API}/instances/${encodeURIComponent(id)}/raiseEvent/${event}`), {
    method: 'POST',
    headers: { 'content-type': contentType, ...host.admin },
    body: JSON.stringify(data),
  });
  await res.arrayBuffer();
  return res.status;
}

export async function post(host: TestHost, path: string): Promise<Response> {
  return fetch(host.url(path), { method: 'POST', headers: host.admin });
}

export function count(
  s: Status,
  type: string,
  pred: (e: NonNullable<Status['historyEvents']>[number]) => boolean = () => true,
): number {
  expect(s.historyEvents, 'history requested').toBeDefined();
  return s.historyEvents!.filter((e) => e.EventType === type && pred(e)).length;
}
