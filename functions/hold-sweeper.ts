// Every minute: free holds that expired more than HOLD_SWEEP_GRACE_SECONDS ago. Correctness never
// waits for this (an expired hold already reads as free); it tidies what a crashed saga left behind
// so section documents stay small and the seat-map diffs stay quiet.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

app.timer('hold-sweeper', {
  schedule: '0 */1 * * * *',
  handler: async (_timer, context) => {
    const s = services();
    const { sections, seats } = await s.inventory.sweep(s.config.HOLD_SWEEP_GRACE_SECONDS * 1000);
    if (seats) context.log(`hold-sweeper: released ${seats} seats in ${sections} sections`);
  },
});
