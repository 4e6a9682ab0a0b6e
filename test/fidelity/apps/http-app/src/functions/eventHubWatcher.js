// An Event Hubs trigger: a binding the local host does not play. It must be named in a warning at
// start, and the rest of the app must run.
const { app } = require('@azure/functions');

app.eventHub('eventHubWatcher', {
  eventHubName: 'samples-workitems',
  connection: 'EventHubConnection',
  cardinality: 'one',
  handler: (message, context) => {
    context.log('Event hub function processed message:', message);
  },
});
