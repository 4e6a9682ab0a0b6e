// Which URLs a partner endpoint may point at (docs/architecture.md, Partner webhooks). The app posts
// to them from inside its network, so an endpoint must not reach private, loopback, link-local or
// metadata addresses (SSRF). The same rule runs twice: on the URL when it is registered, and on
// every address its host name resolves to when a delivery connects (a name may be re-pointed after
// registration). Loopback over http is allowed only where a setting says so (the local host).
// Pure: the caller resolves names; this file only judges URLs and addresses.

export interface UrlPolicy {
  /** Allows http:// and loopback addresses (the local host's test receivers). Off in Azure. */
  allowLoopback: boolean;
}

export type UrlVerdict = { ok: true } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/** Judges a URL as registered: scheme, credentials, length, and the host when it is an IP literal. */
export function checkEndpointUrl(raw: string, policy: UrlPolicy): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials do not belong in the URL' };
  if (url.hash) return { ok: false, reason: 'no fragment' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopbackName = host === 'localhost' || host.endsWith('.localhost');
  const literal = isIpLiteral(host);
  const isLoopback = loopbackName || (literal && addressKind(host) === 'loopback');
  if (url.protocol === 'http:') {
    if (!(policy.allowLoopback && isLoopback)) return { ok: false, reason: 'must be https' };
  } else if (url.protocol !== 'https:') return { ok: false, reason: 'must be https' };
  if (loopbackName && !policy.allowLoopback) return { ok: false, reason: 'loopback addresses are not allowed' };
  if (literal) return checkAddress(host, policy);
  if (!host.includes('.') && !loopbackName) return { ok: false, reason: 'the host must be a public DNS name' };
  return { ok: true };
}

/** Judges one resolved address (IPv4 or IPv6 text) a delivery is about to connect to. */
export function checkAddress(address: string, policy: UrlPolicy): UrlVerdict {
  const kind = addressKind(address);
  if (kind === 'public') return { ok: true };
  if (kind === 'loopback' && policy.allowLoopback) return { ok: true };
  return { ok: false, reason: `${kind} addresses are not allowed` };
}

export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved' | 'invalid';

export function isIpLiteral(host: string): boolean {
  return parseV4(host) !== undefined || parseV6(host) !== undefined;
}

/** What kind of address this is; metadata endpoints (169.254.169.254, fd00:ec2::254) are link-local or private. */
export function addressKind(address: string): AddressKind {
  const v4 = parseV4(address);
  if (v4) return v4Kind(v4);
  const v6 = parseV6(address);
  if (!v6) return 'invalid';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as the IPv4 address.
  if (v6.slice(0, 5).every((w) => w === 0) && (v6[5] === 0xffff || v6[5] === 0) && (v6[6] !== 0 || v6[7]! > 1))
    return v4Kind([v6[6]! >> 8, v6[6]! & 255, v6[7]! >> 8, v6[7]! & 255]);
  if (v6.every((w) => w === 0)) return 'reserved';
  if (v6.slice(0, 7).every((w) => w === 0) && v6[7] === 1) return 'loopback';
  const first = v6[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (first === 0x2001 && v6[1] === 0x0db8) return 'reserved'; // documentation
  if (first === 0x0064 && v6[1] === 0xff9b) return 'reserved'; // NAT64 can reach IPv4 private space
  if (first === 0x2002) return 'reserved'; // 6to4 likewise
  return 'public';
}

function v4Kind([a, b]: number[]): AddressKind {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'private'; // carrier-grade NAT
  if (a === 169 && b === 254) return 'link-local'; // includes the cloud metadata endpoint
  if (a === 0 || a! >= 224) return 'reserved'; // this network, multicast, reserved, broadcast
  if (a === 192 && b === 0) return 'reserved'; // IETF protocol assignments, documentation
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // benchmarking
  return 'public';
}

function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : undefined;
}

function parseV6(text: string): number[] | undefined {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  // A trailing dotted quad (::ffff:10.0.0.1) is rewritten as its two 16-bit words.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const left = words(halves[0]!);
  const right = halves.length === 2 ? words(halves[1]!) : [];
  if (![...left, ...right].every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return undefined;
  const given = left.length + right.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const fill = Array<number>(8 - given).fill(0);
  return [...left, ...fill.map(String), ...right].map((w) => parseInt(w, 16));
}
