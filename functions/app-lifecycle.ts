// App start: fail fast on bad settings, make sure the Cosmos schema exists, then warm what the first
// requests would otherwise each wait on (docs/capacity.md, Cold start): the Cosmos connections and
// per-container caches, the token issuer's keys. Runs under the real host and the local host alike
// (the worker runs appStart hooks after loading the app, before it takes traffic).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

app.hook.appStart(async () => {
  const s = services();
  await s.cosmos.ensureSchema();
  await Promise.all([s.cosmos.warm(), s.auth.warm()]);
});
