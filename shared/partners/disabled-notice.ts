// The operators' notice that a partner webhook endpoint was disabled by delivery itself (docs/webhooks.md,
// Answering): the receiver answered 410 Gone, or every attempt failed for PARTNER_WEBHOOK_DISABLE_AFTER_HOURS.
// Sent through the notification pipeline (shared/notifications/operator-notices.ts); the endpoint and
// the time it was disabled make the key, so a second report of the same disabling is the same notice.
import type { OperatorNotice } from '../notifications/operator-notices.js';
import type { PartnerEndpoint } from './model.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function endpointDisabledNotice(
  endpoint: PartnerEndpoint,
  reason: 'gone' | 'failing',
  webAppUrl: string,
): OperatorNotice {
  const why =
    reason === 'gone'
      ? 'its receiver answered 410 Gone'
      : `every delivery has failed since ${endpoint.health.failingSince ?? 'days ago'}` +
        (endpoint.health.lastStatusCode ? ` (last answer ${endpoint.health.lastStatusCode})` : '');
  const link = `${webAppUrl.replace(/\/$/, '')}/ops/partners`;
  const title = `Partner endpoint disabled: ${endpoint.name}`;
  const body = `${endpoint.name} (${endpoint.url}) was disabled because ${why}. Nothing more is sent to it until it is enabled again; replay its deliveries once the partner is back.`;
  return {
    key: `partner-endpoint-disabled:${endpoint.id}:${endpoint.disabledAt ?? ''}`,
    kind: 'partner.endpoint-disabled',
    title,
    body,
    link,
    subject: title,
    text: `${body}\n\n${link}\n`,
    html: `<p>${esc(body)}</p><p><a href="${esc(link)}">Open the partner endpoints</a></p>`,
  };
}
