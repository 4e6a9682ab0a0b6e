// The ACS SMS REST API (`@azure/communication-sms`): POST /sms answers 202 with one result per
// recipient. A number that is not E.164 is refused for that recipient (400 in its result) as the
// service does; a repeatabilityRequestId already seen answers its first result and sends nothing.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { usage } from '../core/usage.js';
import type { Outbox } from './outbox.js';
import { acsError, sendAcsJson } from './responses.js';

const SmsRequestSchema = z.object({
  from: z.string().min(1),
  smsRecipients: z
    .array(
      z.object({
        to: z.string(),
        repeatabilityRequestId: z.string().optional(),
        repeatabilityFirstSent: z.string().optional(),
      }),
    )
    .min(1)
    .max(100),
  message: z.string().min(1).max(2048),
  smsSendOptions: z.object({ enableDeliveryReport: z.boolean().optional(), tag: z.string().optional() }).optional(),
});

interface Result {
  to: string;
  messageId?: string;
  httpStatusCode: number;
  successful: boolean;
  errorMessage?: string;
}

export class SmsApi {
  private readonly repeated = new Map<string, Result>();

  constructor(private readonly outbox: Outbox) {}

  send(res: ServerResponse, body: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return acsError(res, 400, 'BadRequest', 'The request body is not JSON.');
    }
    const parsed = SmsRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return acsError(res, 400, 'BadRequest', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const m = parsed.data;
    const value = m.smsRecipients.map((r): Result => {
      const seen = r.repeatabilityRequestId ? this.repeated.get(r.repeatabilityRequestId) : undefined;
      if (seen) return seen;
      usage.c.communication.sms++;
      const result: Result = /^\+[1-9]\d{6,14}$/.test(r.to)
        ? {
            to: r.to,
            messageId: `Outgoing_${randomUUID().replace(/-/g, '')}_noam`,
            httpStatusCode: 202,
            successful: true,
          }
        : { to: r.to, httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' };
      if (result.successful)
        this.outbox.add({
          channel: 'sms',
          from: m.from,
          to: [r.to],
          text: m.message,
          attachments: [],
          ref: result.messageId,
        });
      if (r.repeatabilityRequestId) this.repeated.set(r.repeatabilityRequestId, result);
      return result;
    });
    sendAcsJson(res, 202, { value });
  }
}
