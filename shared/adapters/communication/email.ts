// Email through Azure Communication Services (`@azure/communication-email`): a connection string
// (key auth, the local host's emulator) or the endpoint with DefaultAzureCredential (Azure). The send
// is a long-running operation; its Operation-Id is derived from the delivery id, so a send tried
// again after a timeout is the same operation at the service, never a second email.
import { createHash } from 'node:crypto';
import { defaultAzureCredential, emailSdk } from '../sdks.js';
import { ChannelError, type EmailSender } from '../../notifications/ports.js';
import { isLocalEndpoint, channelErrorOf, uuidFrom } from './errors.js';

export interface AcsEmailSettings {
  connectionString?: string;
  endpoint?: string;
  senderAddress: string;
  timeoutMs: number;
  /** How often the operation's status is asked for. */
  pollMs: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function acsEmailSender(settings: AcsEmailSettings): EmailSender {
  // Retries belong to the notification service (it records what happened); the SDK tries once.
  const options = {
    retryOptions: { maxRetries: 0 },
    // Plain http is allowed only for a key-auth endpoint on this machine (the local emulator).
    allowInsecureConnection: isLocalEndpoint(settings.connectionString),
  };
  const client = settings.connectionString
    ? new (emailSdk().EmailClient)(settings.connectionString, options)
    : new (emailSdk().EmailClient)(settings.endpoint!, defaultAzureCredential(), options);
  return {
    async send(message) {
      const operationId = uuidFrom(message.idempotencyKey, sha256);
      try {
        const poller = await client.beginSend(
          {
            senderAddress: settings.senderAddress,
            recipients: { to: [message.to] },
            content: { subject: message.subject, html: message.html, plainText: message.text },
            attachments: message.attachments,
          },
          { operationId, updateIntervalInMs: settings.pollMs, abortSignal: AbortSignal.timeout(settings.timeoutMs) },
        );
        const result = await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(settings.timeoutMs) });
        if (result.status !== 'Succeeded')
          throw new ChannelError(`email ${result.status}: ${result.error?.message ?? 'no detail'}`, true);
        return result.id;
      } catch (err) {
        if (err instanceof ChannelError) throw err;
        throw channelErrorOf(err, 'email');
      }
    },
  };
}
