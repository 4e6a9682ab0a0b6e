// Reading what the local host "sent": the outbox API (local/communication/outbox-pages.ts), behind
// the master key, and the user's in-app inbox.
import type { TestHost } from '../support/local-host.js';
import { api, type Caller } from '../booking/helpers.js';

export interface OutboxItem {
  id: string;
  channel: 'email' | 'sms' | 'push';
  to: string[];
  subject?: string;
  text?: string;
  attachments: { name: string; contentType: string; size: number; contentId?: string }[];
}

export const masterKey = (host: TestHost) => host.admin;

export async function outbox(
  host: TestHost,
  filter: { channel?: string; to?: string; since?: string } = {},
): Promise<OutboxItem[]> {
  const q = new URLSearchParams(filter as Record<string, string>).toString();
  const res = await fetch(host.url(`/.local/outbox/api/messages${q ? `?${q}` : ''}`), { headers: masterKey(host) });
  if (res.status !== 200) throw new Error(`outbox answered ${res.status}`);
  return ((await res.json()) as { items: OutboxItem[] }).items;
}

/** Polls until `until` holds for the outbox's items for `to`, or throws with what it last saw. */
export async function waitForOutbox(
  host: TestHost,
  to: string,
  until: (items: OutboxItem[]) => boolean,
  timeoutMs = 20_000,
): Promise<OutboxItem[]> {
  const deadline = Date.now() + timeoutMs;
  let items: OutboxItem[] = [];
  while (Date.now() < deadline) {
    items = await outbox(host, { to });
    if (until(items)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  const warnings = host
    .output()
    .split('\n')
    .filter((l) => /warn|error|fail/i.test(l))
    .slice(-20)
    .join('\n');
  throw new Error(`outbox for ${to} never matched; last: ${JSON.stringify(items).slice(0, 2000)}\nhost:\n${warnings}`);
}

export async function inbox(host: TestHost, caller: Caller) {
  const r = await api(host, caller, 'GET', '/api/me/notifications');
  if (r.status !== 200) throw new Error(`inbox answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as { items: { id: string; event: string; title: string; read: boolean }[]; unread: number };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
