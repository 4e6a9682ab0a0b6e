// After the Functions Node.js e2e samples' httpTriggerBadAsync: an error thrown from a callback the
// handler scheduled, outside its promise chain. It must fail this request, not the host.
const { app } = require('@azure/functions');

app.http('httpTriggerBadAsync', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    setTimeout(() => {
      throw new Error('bad async');
    }, 0);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return { body: 'unreachable' };
  },
});
