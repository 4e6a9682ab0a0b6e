// Function chaining, as the samples' helloSequence.
const df = require('durable-functions');

df.app.orchestration('helloSequence', function* (context) {
  const outputs = [];
  outputs.push(yield context.df.callActivity('sayHello', 'Tokyo'));
  outputs.push(yield context.df.callActivity('sayHello', 'Seattle'));
  outputs.push(yield context.df.callActivity('sayHello', 'Cairo'));
  return outputs;
});

df.app.activity('sayHello', {
  handler: (city) => `Hello ${city}!`,
});
