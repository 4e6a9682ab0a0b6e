// Connection strings in the form `@azure/web-pubsub` parses: `;`-separated,
// split on the first `=`, keys case-insensitive, Endpoint and AccessKey required, Port optional.

export interface ParsedConnectionString {
  endpoint: URL;
  accessKey: string;
}

export function buildConnectionString(host: string, port: number, accessKey: string): string {
  return `Endpoint=http://${host};Port=${port};AccessKey=${accessKey};Version=1.0;`;
}

export function parseConnectionString(text: string): ParsedConnectionString {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
  }
  const raw = parts.get('endpoint');
  const accessKey = parts.get('accesskey');
  if (!raw) throw new Error('WEBPUBSUB_CONNECTION_STRING is missing Endpoint');
  if (!accessKey) throw new Error('WEBPUBSUB_CONNECTION_STRING is missing AccessKey');
  const endpoint = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  const port = parts.get('port');
  if (port) endpoint.port = port;
  return { endpoint, accessKey };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}
