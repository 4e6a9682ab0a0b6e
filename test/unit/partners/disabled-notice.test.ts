// The operators' notice for an endpoint disabled by delivery (shared/partners/disabled-notice.ts).
import { describe, expect, it } from 'vitest';
import { endpointDisabledNotice } from '../../../shared/partners/disabled-notice.js';
import type { PartnerEndpoint } from '../../../shared/partners/model.js';

const endpoint = (over: Partial<PartnerEndpoint> = {}): PartnerEndpoint => ({
  id: 'pe-1',
  partnerId: 'acme',
  name: 'Acme <tickets>',
  url: 'https://hooks.acme.example/marquee',
  events: ['booking.confirmed'],
  status: 'disabled',
  disabledAt: '2026-12-07T10:00:00.000Z',
  secrets: [],
  health: { failureStreak: 40, failingSince: '2026-12-02T09:00:00.000Z', lastStatusCode: 503 },
  createdBy: 'op-1',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...over,
});

describe('endpoint disabled notice', () => {
  it('says why: 410 Gone, or failing since when with the last answer', () => {
    expect(endpointDisabledNotice(endpoint(), 'gone', 'https://app').body).toContain('410 Gone');
    const failing = endpointDisabledNotice(endpoint(), 'failing', 'https://app');
    expect(failing.body).toContain('failed since 2026-12-02T09:00:00.000Z');
    expect(failing.body).toContain('last answer 503');
    expect(failing.link).toBe('https://app/ops/partners');
  });

  it('is one notice per disabling: the same endpoint disabled again later is a new one', () => {
    const a = endpointDisabledNotice(endpoint(), 'failing', 'https://app/');
    expect(endpointDisabledNotice(endpoint(), 'failing', 'https://app/').key).toBe(a.key);
    expect(endpointDisabledNotice(endpoint({ disabledAt: '2026-12-20T00:00:00.000Z' }), 'gone', 'x').key).not.toBe(
      a.key,
    );
  });

  it('escapes the endpoint name in the email HTML', () => {
    const html = endpointDisabledNotice(endpoint(), 'gone', 'https://app').html;
    expect(html).toContain('Acme &lt;tickets&gt;');
    expect(html).not.toContain('<tickets>');
  });
});
