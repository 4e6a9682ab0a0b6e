// A blob trigger: a binding the local host does not play. It must be named in a warning at start,
// and the rest of the app must run.
const { app } = require('@azure/functions');

app.storageBlob('blobWatcher', {
  path: 'samples-workitems/{name}',
  connection: 'AzureWebJobsStorage',
  handler: (blob, context) => {
    context.log(`Storage blob function processed blob "${context.triggerMetadata.name}"`);
  },
});
