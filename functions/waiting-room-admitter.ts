// The waiting room's admitter (docs/architecture.md, Waiting room): on every tick of
// its timer (every second: the rate's unit is a minute, and a second keeps each minute within 5 %)
// each open room's cursor moves
// by what its rate has earned. The move is a conditional replace of the cursor, so an overlapping
// tick (a second instance, a retried run) admits nobody twice: the loser's write is refused.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

app.timer('waiting-room-admitter', {
  // Fixed, like the hold sweeper's: with no room open a tick is one small query.
  schedule: '*/1 * * * * *',
  handler: async () => {
    await services().waitingRoom.tick();
  },
});
