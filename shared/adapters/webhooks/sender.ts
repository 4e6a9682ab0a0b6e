// POSTs partner webhook deliveries over node:http(s) (docs/architecture.md, Partner webhooks). The
// SSRF rule is enforced where the connection is made: the request's `lookup` resolves the host name
// and refuses any address the URL policy forbids, so a name re-pointed at a private address after it
// was registered is refused too, with no window between the check and the connect. An IP literal
// skips DNS, so it is judged before the request. Every call has a total timeout; the response body is
// read up to 1 KB for the log and the rest discarded.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  checkAddress,
  checkEndpointUrl,
  isIpLiteral,
  type UrlPolicy,
} from '../../domain/partner-webhooks/url-policy.js';
import type { SendResult, WebhookSender } from '../../partners/ports.js';

const KEEP_BYTES = 1024;

export function httpWebhookSender(options: { timeoutMs: number; policy: UrlPolicy }): WebhookSender {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  const guardedLookup: LookupFunction = (hostname, opts, callback) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !checkAddress(a.address, options.policy).ok);
      if (refused) {
        const reason = checkAddress(refused.address, options.policy);
        return callback(
          Object.assign(new Error(`refused ${refused.address}: ${reason.ok ? '' : reason.reason}`), {
            code: 'EREFUSED',
          }),
          '',
          0,
        );
      }
      if (opts.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  return {
    post(url, headers, body) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const verdict = checkEndpointUrl(url, options.policy);
      if (!verdict.ok) return Promise.resolve({ ok: false, latencyMs: 0, error: `URL refused: ${verdict.reason}` });
      const target = new URL(url);
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIpLiteral(host)) {
        const v = checkAddress(host, options.policy);
        if (!v.ok) return Promise.resolve({ ok: false, latencyMs: 0, error: `address refused: ${v.reason}` });
      }
      const secure = target.protocol === 'https:';
      return new Promise<SendResult>((resolve) => {
        let settled = false;
        const finish = (r: SendResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r);
        };
        const req = (secure ? https : http).request(
          target,
          {
            method: 'POST',
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
            agent: secure ? agents.https : agents.http,
            lookup: guardedLookup,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let kept = 0;
            res.on('data', (chunk: Buffer) => {
              if (kept < KEEP_BYTES) {
                chunks.push(chunk);
                kept += chunk.length;
              }
            });
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              finish({
                ok: status >= 200 && status < 300,
                statusCode: status,
                latencyMs: elapsed(),
                response: Buffer.concat(chunks).subarray(0, KEEP_BYTES).toString('utf8'),
              });
            });
            res.on('error', (err) => finish({ ok: false, latencyMs: elapsed(), error: err.message }));
          },
        );
        const timer = setTimeout(() => {
          finish({ ok: false, latencyMs: elapsed(), error: `no answer within ${options.timeoutMs} ms` });
          req.destroy();
        }, options.timeoutMs);
        req.on('error', (err) => finish({ ok: false, latencyMs: elapsed(), error: err.message }));
        req.end(body);
      });
    },
  };
}
