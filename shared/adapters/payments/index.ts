// The payment provider adapter: REST client with timeouts, retries and a circuit breaker per operation, and
// Stripe-style webhook signatures. Built in shared/services.ts from settings and the SecretSource.
export {
  createPaymentProvider,
  type BreakerState,
  type HttpPaymentProvider,
  type PaymentOperation,
  type PaymentsClientSettings,
} from './client.js';
export { backoffDelay, type RetryPolicy } from './resilience.js';
export { signatureHeader, verifySignature, computeSignature, SIGNATURE_HEADER, EVENT_ID_HEADER } from './signature.js';
