// An order flows through storage, as in the Functions docs' queue, blob and table examples: an HTTP
// function queues it, a queue trigger writes a receipt blob and a table entity (named by binding
// expressions from the message), an HTTP function reads both back through input bindings.
const { app, input, output } = require('@azure/functions');

const ordersQueue = output.storageQueue({ queueName: 'orders', connection: 'AzureWebJobsStorage' });

app.http('enqueueOrder', {
  methods: ['POST'],
  route: 'orders',
  authLevel: 'anonymous',
  extraOutputs: [ordersQueue],
  handler: async (request, context) => {
    const order = await request.json();
    context.extraOutputs.set(ordersQueue, order);
    return { status: 202, jsonBody: { queued: order.id } };
  },
});

const receiptBlob = output.storageBlob({ path: 'receipts/{id}.json', connection: 'AzureWebJobsStorage' });
const ordersTable = output.table({ tableName: 'Orders', connection: 'AzureWebJobsStorage' });

app.storageQueue('processOrder', {
  queueName: 'orders',
  connection: 'AzureWebJobsStorage',
  extraOutputs: [receiptBlob, ordersTable],
  handler: (order, context) => {
    const meta = context.triggerMetadata;
    context.extraOutputs.set(receiptBlob, { id: order.id, item: order.item, processed: true });
    context.extraOutputs.set(ordersTable, {
      PartitionKey: 'orders',
      RowKey: order.id,
      item: order.item,
      payloadWasObject: typeof order === 'object',
      messageId: meta.id,
      dequeueCount: meta.dequeueCount,
      insertionTime: meta.insertionTime,
      expirationTime: meta.expirationTime,
      nextVisibleTime: meta.nextVisibleTime,
      hasPopReceipt: typeof meta.popReceipt === 'string' && meta.popReceipt.length > 0,
      queueTrigger: meta.queueTrigger,
    });
  },
});

const receiptIn = input.storageBlob({ path: 'receipts/{id}.json', connection: 'AzureWebJobsStorage' });
const orderIn = input.table({
  tableName: 'Orders',
  partitionKey: 'orders',
  rowKey: '{id}',
  connection: 'AzureWebJobsStorage',
});
const allOrders = input.table({
  tableName: 'Orders',
  partitionKey: 'orders',
  take: 100,
  connection: 'AzureWebJobsStorage',
});

app.http('getOrder', {
  methods: ['GET'],
  route: 'orders/{id}',
  authLevel: 'anonymous',
  extraInputs: [receiptIn, orderIn, allOrders],
  handler: (request, context) => {
    const receipt = context.extraInputs.get(receiptIn);
    const entity = context.extraInputs.get(orderIn);
    if (!receipt || !entity) return { status: 404, jsonBody: { id: request.params.id } };
    return {
      jsonBody: {
        receipt: JSON.parse(receipt.toString()),
        receiptIsBuffer: Buffer.isBuffer(receipt),
        entity,
        listed: context.extraInputs.get(allOrders).map((e) => e.RowKey),
      },
    };
  },
});
