// Answers in the shape Communication Services uses: JSON bodies, errors as {error: {code, message}}.
import type { ServerResponse } from 'node:http';

export function sendAcsJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function acsError(res: ServerResponse, status: number, code: string, message: string): void {
  sendAcsJson(res, status, { error: { code, message } });
}
