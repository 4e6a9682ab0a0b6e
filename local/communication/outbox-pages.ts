// /.local/outbox (behind the master key, like every /.local page): an HTML list of what was sent,
// each email rendered as its recipient would see it (inline `cid:` images resolved), and a JSON API
// tests read: GET /.local/outbox/api/messages[?channel=&to=&since=], GET …/api/messages/{id},
// DELETE /.local/outbox/api/messages, GET /.local/outbox/messages/{id}[/attachments/{name}].
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendProblem } from '../core/http-server.js';
import type { RequestTarget } from '../core/plugin.js';
import type { Outbox, OutboxEntry } from './outbox.js';

export const OUTBOX_PREFIX = '/.local/outbox';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const summary = (e: OutboxEntry, withBody = false) => ({
  id: e.id,
  channel: e.channel,
  at: e.at,
  ...(e.from ? { from: e.from } : {}),
  to: e.to,
  ...(e.subject !== undefined ? { subject: e.subject } : {}),
  ...(e.text !== undefined ? { text: e.text } : {}),
  ...(withBody && e.html !== undefined ? { html: e.html } : {}),
  attachments: e.attachments.map((a) => ({
    name: a.name,
    contentType: a.contentType,
    size: a.content.length,
    ...(a.contentId ? { contentId: a.contentId } : {}),
  })),
  ...(e.ref ? { ref: e.ref } : {}),
});

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The email's HTML with each `cid:` reference replaced by its inline attachment as a data URL. */
function rendered(e: OutboxEntry): string {
  if (e.html === undefined) return `<!doctype html><meta charset="utf-8"><pre>${esc(e.text ?? '')}</pre>`;
  return e.html.replace(/cid:([^"'\s)]+)/g, (all, id: string) => {
    const a = e.attachments.find((x) => x.contentId === id);
    return a ? `data:${a.contentType};base64,${a.content.toString('base64')}` : all;
  });
}

function listPage(entries: OutboxEntry[], code: string): string {
  const q = code ? `?code=${encodeURIComponent(code)}` : '';
  const rows = entries
    .slice()
    .reverse()
    .map(
      (e) =>
        `<tr><td>${esc(e.at)}</td><td>${e.channel}</td><td>${esc(e.to.join(', '))}</td>` +
        `<td><a href="${OUTBOX_PREFIX}/messages/${e.id}${q}">${esc(e.subject ?? (e.text ?? '').slice(0, 80))}</a></td>` +
        `<td>${e.attachments.map((a) => esc(a.name)).join(', ')}</td></tr>`,
    )
    .join('');
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Outbox</title><style>body{font-family:system-ui;margin:2em}` +
    `td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}</style></head><body>` +
    `<h1>Outbox (${entries.length})</h1><p>Every email, SMS and web push the local host delivered.</p>` +
    `<table><tr><th>at</th><th>channel</th><th>to</th><th>subject / text</th><th>attachments</th></tr>${rows}</table></body></html>`
  );
}

export function outboxHandler(outbox: Outbox) {
  return (req: IncomingMessage, res: ServerResponse, target: RequestTarget): boolean | void => {
    const parts = target.pathname.slice(OUTBOX_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    const query = new URLSearchParams(target.search);
    const method = req.method ?? 'GET';
    if (parts.length === 0 && method === 'GET')
      return send(res, 200, 'text/html; charset=utf-8', listPage(outbox.list(), query.get('code') ?? ''));
    if (parts[0] === 'api' && parts[1] === 'messages') {
      if (parts.length === 2 && method === 'GET') {
        const filter = {
          channel: query.get('channel') ?? undefined,
          to: query.get('to') ?? undefined,
          since: query.get('since') ?? undefined,
        };
        return sendJson(res, 200, { items: outbox.list(filter).map((e) => summary(e)) });
      }
      if (parts.length === 2 && method === 'DELETE') {
        outbox.clear();
        res.writeHead(204).end();
        return;
      }
      if (parts.length === 3 && method === 'GET') {
        const e = outbox.get(parts[2]!);
        return e ? sendJson(res, 200, summary(e, true)) : notFound(res, parts[2]!);
      }
    }
    if (parts[0] === 'messages' && parts[1] && method === 'GET') {
      const e = outbox.get(parts[1]);
      if (!e) return notFound(res, parts[1]);
      if (parts.length === 2) return send(res, 200, 'text/html; charset=utf-8', rendered(e));
      if (parts.length === 4 && parts[2] === 'attachments') {
        const a = e.attachments.find((x) => x.name === parts[3]);
        return a ? send(res, 200, a.contentType, a.content) : notFound(res, `${parts[1]}/${parts[3]}`);
      }
    }
    return false;
  };
}

function notFound(res: ServerResponse, what: string): void {
  sendProblem(res, 404, 'Not Found', `Nothing in the outbox is called ${what}.`, 'NOT_FOUND');
}
