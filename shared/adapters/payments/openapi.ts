// POST /api/payments/webhook in the OpenAPI document (functions/payments-webhook.ts): described
// here, beside the wire format and signature this adapter verifies it with.
import { z } from 'zod';
import { anonymous, type ApiOperation } from '../../http/openapi/operation.js';
import { PaymentWebhookReceiptSchema } from '../../booking/api-schemas.js';
import { WebhookEventSchema } from './wire.js';
import { SIGNATURE_HEADER } from './signature.js';

export const paymentWebhookOperations: ApiOperation[] = [
  {
    name: 'payments-webhook',
    method: 'post',
    route: 'payments/webhook',
    tag: 'Payments',
    summary: "The payment provider's webhook",
    description:
      `Authenticated by the provider's signature (the \`${SIGNATURE_HEADER}\` header, \`t=<seconds>,v1=<hex>\`), ` +
      'de-duplicated by event id and handed to the booking saga. 200 tells the provider to stop redelivering.',
    access: anonymous(`The \`${SIGNATURE_HEADER}\` header`),
    headers: z.object({ [SIGNATURE_HEADER]: z.string().meta({ example: 't=1767225600,v1=5f…' }) }),
    body: WebhookEventSchema,
    bodyRequired: true,
    responses: { 200: { description: 'Received', schema: PaymentWebhookReceiptSchema } },
    problems: [
      'WEBHOOK_SIGNATURE_INVALID',
      'WEBHOOK_TIMESTAMP_STALE',
      'WEBHOOK_PAYLOAD_INVALID',
      'NOT_FOUND',
      'BOOKING_BUSY',
    ],
  },
];
