// An activity that fails, and the orchestration it fails: both must leave a line in the host log.
const df = require('durable-functions');

df.app.orchestration('failing', function* (context) {
  return yield context.df.callActivity('alwaysFails', context.df.getInput());
});

df.app.activity('alwaysFails', {
  handler: (what) => {
    throw new Error(`cannot do ${what}`);
  },
});
