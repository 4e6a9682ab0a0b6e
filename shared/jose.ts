// jose (JWT verification and signing), loaded when the first token is read or signed rather than
// when the app's modules load: the same cold-start reason as the SDKs of shared/adapters/sdks.ts.
import { once } from './once.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
export const jose = once(() => require('jose') as typeof import('jose'));
