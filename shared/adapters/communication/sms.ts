// SMS through Azure Communication Services (`@azure/communication-sms`), key or managed-identity auth
// as the email adapter. The service answers per recipient: a refused number is permanent.
import { defaultAzureCredential, smsSdk } from '../sdks.js';
import { ChannelError, type SmsSender } from '../../notifications/ports.js';
import { isLocalEndpoint, channelErrorOf } from './errors.js';

export interface AcsSmsSettings {
  connectionString?: string;
  endpoint?: string;
  /** The resource's sending number (E.164) or alphanumeric sender id. */
  from: string;
  timeoutMs: number;
}

export function acsSmsSender(settings: AcsSmsSettings): SmsSender {
  const options = {
    retryOptions: { maxRetries: 0 },
    // Plain http is allowed only for a key-auth endpoint on this machine (the local emulator).
    allowInsecureConnection: isLocalEndpoint(settings.connectionString),
  };
  const client = settings.connectionString
    ? new (smsSdk().SmsClient)(settings.connectionString, options)
    : new (smsSdk().SmsClient)(settings.endpoint!, defaultAzureCredential(), options);
  return {
    async send(message) {
      let results;
      try {
        results = await client.send(
          { from: settings.from, to: [message.to], message: message.text },
          { tag: message.idempotencyKey, abortSignal: AbortSignal.timeout(settings.timeoutMs) },
        );
      } catch (err) {
        throw channelErrorOf(err, 'sms');
      }
      const r = results[0];
      if (!r) throw new ChannelError('sms: the service answered no result', false);
      if (!r.successful)
        throw new ChannelError(
          `sms: ${r.httpStatusCode} ${r.errorMessage ?? ''}`.trim(),
          r.httpStatusCode < 500 && r.httpStatusCode !== 429,
        );
      return r.messageId ?? '';
    },
  };
}
