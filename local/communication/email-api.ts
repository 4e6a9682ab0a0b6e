// The ACS Email REST API (`@azure/communication-email`): POST /emails:send queues a message and
// answers 202 with the long-running operation's id and its Operation-Location; GET
// /emails/operations/{id} answers its status. An Operation-Id header makes the send repeatable: the
// same id is the same operation and one email, however often it is sent. Recipients at a `.invalid`
// domain (RFC 2606) end Failed, as a bounced address does on the service.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { usage } from '../core/usage.js';
import type { Outbox } from './outbox.js';
import { acsError, sendAcsJson } from './responses.js';

const Address = z.object({ address: z.string().email(), displayName: z.string().optional() });
const EmailMessageSchema = z.object({
  senderAddress: z.string().email(),
  content: z
    .object({ subject: z.string().min(1), plainText: z.string().optional(), html: z.string().optional() })
    .refine((c) => c.plainText !== undefined || c.html !== undefined, 'plainText or html is required'),
  recipients: z
    .object({ to: z.array(Address).default([]), cc: z.array(Address).default([]), bcc: z.array(Address).default([]) })
    .refine((r) => r.to.length + r.cc.length + r.bcc.length > 0, 'at least one recipient is required')
    .refine((r) => r.to.length + r.cc.length + r.bcc.length <= 50, 'at most 50 recipients'),
  attachments: z
    .array(
      z.object({
        name: z.string().min(1),
        contentType: z.string().min(1),
        contentInBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
        contentId: z.string().optional(),
      }),
    )
    .default([]),
  replyTo: z.array(Address).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  userEngagementTrackingDisabled: z.boolean().optional(),
});

interface Operation {
  id: string;
  status: 'Running' | 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}

export class EmailApi {
  private readonly operations = new Map<string, Operation>();

  constructor(
    private readonly outbox: Outbox,
    private readonly base: () => string,
  ) {}

  send(req: IncomingMessage, res: ServerResponse, body: Buffer, apiVersion: string): void {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return acsError(res, 400, 'BadRequest', 'The request body is not JSON.');
    }
    const parsed = EmailMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return acsError(res, 400, 'BadRequest', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const requested = req.headers['operation-id'];
    const id = typeof requested === 'string' && requested ? requested : randomUUID();
    let op = this.operations.get(id);
    if (!op) {
      const m = parsed.data;
      const all = [...m.recipients.to, ...m.recipients.cc, ...m.recipients.bcc].map((a) => a.address);
      usage.c.communication.emails++;
      usage.c.communication.emailRecipients += all.length;
      const bounced = all.filter((a) => a.toLowerCase().endsWith('.invalid'));
      op = bounced.length
        ? {
            id,
            status: 'Failed',
            error: { code: 'EmailDroppedAllRecipientsSuppressed', message: `Undeliverable: ${bounced.join(', ')}` },
          }
        : { id, status: 'Running' };
      this.operations.set(id, op);
      if (!bounced.length)
        this.outbox.add({
          channel: 'email',
          from: m.senderAddress,
          to: all,
          subject: m.content.subject,
          text: m.content.plainText,
          html: m.content.html,
          attachments: m.attachments.map((a) => ({
            name: a.name,
            contentType: a.contentType,
            contentId: a.contentId,
            content: Buffer.from(a.contentInBase64, 'base64'),
          })),
          ref: id,
        });
    }
    sendAcsJson(
      res,
      202,
      { id, status: 'Running' },
      {
        'operation-location': `${this.base()}/emails/operations/${id}?api-version=${encodeURIComponent(apiVersion)}`,
        'retry-after': '0',
      },
    );
  }

  status(res: ServerResponse, id: string): void {
    const op = this.operations.get(id);
    if (!op) return acsError(res, 404, 'NotFound', `No operation ${id}.`);
    // Delivery is immediate here: the first status read after the send finds it done.
    if (op.status === 'Running') op.status = 'Succeeded';
    sendAcsJson(res, 200, { id: op.id, status: op.status, ...(op.error ? { error: op.error } : {}) });
  }
}
