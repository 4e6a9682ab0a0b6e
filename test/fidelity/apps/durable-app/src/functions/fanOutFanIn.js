// Fan-out/fan-in: one activity lists the work, one activity per item runs in parallel, the
// orchestrator sums the results.
const df = require('durable-functions');

df.app.orchestration('fanOutFanIn', function* (context) {
  const items = yield context.df.callActivity('getWorkItems', context.df.getInput());
  const tasks = items.map((item) => context.df.callActivity('square', item));
  const results = yield context.df.Task.all(tasks);
  return results.reduce((sum, n) => sum + n, 0);
});

df.app.activity('getWorkItems', {
  handler: (count) => Array.from({ length: count }, (_, i) => i + 1),
});

df.app.activity('square', {
  handler: (n) => n * n,
});
