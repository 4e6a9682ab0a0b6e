import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressKind, checkAddress, checkEndpointUrl } from '../../../../shared/domain/partner-webhooks/url-policy.js';

const azure = { allowLoopback: false };
const local = { allowLoopback: true };

describe('partner endpoint URL policy', () => {
  it('accepts https on a public name or address', () => {
    expect(checkEndpointUrl('https://hooks.partner.example/marquee', azure)).toEqual({ ok: true });
    expect(checkEndpointUrl('https://93.184.216.34:8443/x', azure)).toEqual({ ok: true });
    expect(checkEndpointUrl('https://[2606:4700::1111]/x', azure)).toEqual({ ok: true });
  });

  it.each([
    ['http://hooks.partner.example/x', 'must be https'],
    ['ftp://hooks.partner.example/x', 'must be https'],
    ['https://user:pw@hooks.partner.example/x', 'credentials'],
    ['https://10.0.0.8/x', 'private'],
    ['https://172.20.1.1/x', 'private'],
    ['https://192.168.1.1/x', 'private'],
    ['https://100.64.0.1/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://127.0.0.1/x', 'loopback'],
    ['https://localhost/x', 'loopback'],
    ['https://[::1]/x', 'loopback'],
    ['https://[fd00:ec2::254]/x', 'private'],
    ['https://[fe80::1]/x', 'link-local'],
    ['https://[::ffff:10.0.0.1]/x', 'private'],
    ['https://[::ffff:169.254.169.254]/x', 'link-local'],
    ['https://0.0.0.0/x', 'reserved'],
    ['https://intranet/x', 'public DNS name'],
    ['not a url', 'not a URL'],
  ])('refuses %s in Azure', (url, reason) => {
    const verdict = checkEndpointUrl(url, azure);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('allows http to loopback only where the setting allows it, and never http elsewhere', () => {
    expect(checkEndpointUrl('http://127.0.0.1:4000/hooks', local)).toEqual({ ok: true });
    expect(checkEndpointUrl('http://localhost:4000/hooks', local)).toEqual({ ok: true });
    expect(checkEndpointUrl('http://127.0.0.1:4000/hooks', azure).ok).toBe(false);
    expect(checkEndpointUrl('http://hooks.partner.example/x', local).ok).toBe(false);
    expect(checkEndpointUrl('https://10.0.0.8/x', local).ok).toBe(false);
  });

  it('judges every IPv4 address in the private ranges as not public, in dotted and IPv4-mapped IPv6 form', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
    );
    fc.assert(
      fc.property(privateV4, (parts) => {
        const dotted = parts.join('.');
        expect(checkAddress(dotted, local).ok && parts[0] !== 127).toBe(false);
        expect(checkAddress(dotted, azure).ok).toBe(false);
        expect(checkAddress(`::ffff:${dotted}`, azure).ok).toBe(false);
        const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
        expect(addressKind(`::ffff:${hex(parts[0], parts[1])}:${hex(parts[2], parts[3])}`)).toBe(addressKind(dotted));
      }),
    );
  });

  it('never throws, whatever the URL', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => checkEndpointUrl(s, azure)).not.toThrow();
        expect(() => checkEndpointUrl(`https://${s}/`, azure)).not.toThrow();
      }),
    );
  });
});
