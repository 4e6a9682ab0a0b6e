// A blob trigger, as the Functions template writes it, that records each run in a table (one entity
// per invocation), so runs can be counted across a host restart.
const { app, output } = require('@azure/functions');

const runs = output.table({ tableName: 'BlobRuns', connection: 'AzureWebJobsStorage' });

app.storageBlob('uploadWatcher', {
  path: 'uploads/{name}',
  connection: 'AzureWebJobsStorage',
  extraOutputs: [runs],
  handler: (blob, context) => {
    context.log(
      `Storage blob function processed blob "${context.triggerMetadata.name}" with size ${blob.length} bytes`,
    );
    context.extraOutputs.set(runs, {
      PartitionKey: context.triggerMetadata.name,
      RowKey: context.invocationId,
      size: blob.length,
      isBuffer: Buffer.isBuffer(blob),
      blobTrigger: context.triggerMetadata.blobTrigger,
    });
  },
});

// An upload over HTTP into the watched container, the blob named by the route.
const uploaded = output.storageBlob({ path: 'uploads/{name}', connection: 'AzureWebJobsStorage' });

app.http('upload', {
  methods: ['PUT'],
  route: 'uploads/{name}',
  authLevel: 'anonymous',
  extraOutputs: [uploaded],
  handler: async (request, context) => {
    context.extraOutputs.set(uploaded, Buffer.from(await request.arrayBuffer()));
    return { status: 201 };
  },
});
