// Web push (RFC 8030 with VAPID, RFC 8292; payload encryption RFC 8291) through the `web-push`
// library. The VAPID private key is a secret: on Azure its setting is a Key Vault reference
// (infra/terraform/communication.tf). A subscription the push
// service no longer knows (404, 410) is reported as gone, so the notification service forgets it.
import { webPushSdk } from '../sdks.js';
import { ChannelError, type PushSender } from '../../notifications/ports.js';

export interface WebPushSettings {
  subject: string;
  publicKey?: string;
  privateKey?: string;
  timeoutMs: number;
}

export function webPushSender(settings: WebPushSettings): PushSender {
  return {
    async publicKey() {
      return settings.publicKey;
    },
    async send({ subscription, payload, ttlSeconds }) {
      const { publicKey, privateKey } = settings;
      if (!publicKey || !privateKey) throw new ChannelError('push: no VAPID keys are configured', true);
      // The library encrypts the payload (RFC 8291) and signs the VAPID header; the request itself
      // is sent here, with this app's timeout (and to plain-http push services on loopback, which
      // the library's https-only sender cannot reach: the local host's push service).
      const request = webPushSdk().generateRequestDetails(subscription, payload, {
        vapidDetails: { subject: settings.subject, publicKey, privateKey },
        TTL: ttlSeconds,
      });
      let status: number;
      try {
        const res = await fetch(request.endpoint, {
          method: request.method,
          headers: request.headers as Record<string, string>,
          body: request.body ? new Uint8Array(request.body) : undefined,
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        status = res.status;
        await res.body?.cancel();
      } catch (err) {
        throw new ChannelError(`push: ${(err as Error).message}`.slice(0, 300), false);
      }
      if (status < 300) return;
      if (status === 404 || status === 410) throw new ChannelError(`push: subscription gone (${status})`, true, true);
      const permanent = status >= 400 && status < 500 && status !== 429 && status !== 408;
      throw new ChannelError(`push: the push service answered ${status}`, permanent);
    },
  };
}
