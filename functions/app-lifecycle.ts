// App start: fail fast on bad settings, then make sure the Cosmos schema exists. Runs under the
// real host and the local host alike (the worker runs appStart hooks after loading the app).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

app.hook.appStart(async () => {
  await services().cosmos.ensureSchema();
});
