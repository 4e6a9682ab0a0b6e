// App start: fail fast on bad settings, make sure the Cosmos schema exists, then warm what the first
// requests would otherwise each wait on (docs/capacity.md, Cold start): the Cosmos connections and
// per-container caches, the token issuer's keys. Runs under the real host and the local host alike
// (the worker runs appStart hooks after loading the app, before it takes traffic).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

/** The warm-up is a head start, never a reason to start late: past this the app starts and it runs on. */
const WARM_UP_MAX_MS = 3000;

app.hook.appStart(async () => {
  const s = services();
  await s.cosmos.ensureSchema();
  const warm = Promise.all([s.cosmos.warm(), s.auth.warm()]);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([warm, new Promise((done) => (timer = setTimeout(done, WARM_UP_MAX_MS)))]);
  clearTimeout(timer);
});
