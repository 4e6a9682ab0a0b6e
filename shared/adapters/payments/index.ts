// The payment provider adapter: REST client with timeouts, retries and a circuit breaker, and
// Stripe-style webhook signatures. Built in shared/services.ts from settings and the SecretSource.
export { createPaymentProvider, type HttpPaymentProvider, type PaymentsClientSettings } from './client.js';
export { CircuitBreaker, backoffDelay, type RetryPolicy, type BreakerState } from './resilience.js';
export { signatureHeader, verifySignature, computeSignature, SIGNATURE_HEADER, EVENT_ID_HEADER } from './signature.js';
