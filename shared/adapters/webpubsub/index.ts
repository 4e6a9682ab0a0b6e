// Web PubSub adapter: the realtime port (shared/ports/realtime.ts) on the real `@azure/web-pubsub` SDK.
export { createWebPubSubPublisher, endpointOf, type WebPubSubSettings } from './client.js';
export { call, isRetryable, type CallPolicy } from './call.js';
