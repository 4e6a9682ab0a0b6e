// DEMO_DATA=true: load the deterministic demo catalog at app start (idempotent; a restart on the
// same day skips it). Registered after app-lifecycle's schema hook (files load in sorted order);
// ensureSchema is idempotent, so it is called again rather than relying on that order.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { loadDemoData } from '../shared/demo/load.js';
import { openDemoWaitingRoom } from '../shared/demo/waiting-room.js';

app.hook.appStart(async () => {
  const s = services();
  if (!s.config.DEMO_DATA) return;
  await s.cosmos.ensureSchema();
  const result = await loadDemoData(s.catalog.store, s.clock());
  if (!result.skipped)
    console.log(`demo data: ${result.documents} documents (${result.shows} shows) in ${result.ms} ms`);
  const hot = await openDemoWaitingRoom(s.catalog, s.waitingRoom, s.clock());
  if (hot) console.log(`demo data: show ${hot} sells through its waiting room (/shows/${hot}/queue)`);
});
