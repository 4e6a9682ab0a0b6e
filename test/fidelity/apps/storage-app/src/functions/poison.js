// A queue trigger that always fails: the message is retried until host.json's maxDequeueCount,
// then moved to the "-poison" queue. An HTTP function reports the dequeue counts it saw.
const { app } = require('@azure/functions');

const attempts = [];

app.storageQueue('alwaysFails', {
  queueName: 'doomed',
  connection: 'AzureWebJobsStorage',
  handler: (message, context) => {
    attempts.push({ message, dequeueCount: context.triggerMetadata.dequeueCount });
    throw new Error(`cannot process ${message}`);
  },
});

app.http('doomedAttempts', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ jsonBody: attempts }),
});
