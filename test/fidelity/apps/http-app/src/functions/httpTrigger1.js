// The template's HTTP function, plus what a test of the host needs to see: whether the objects it
// receives are instances of the app's own @azure/functions classes, and where relative paths lead.
const { app, HttpRequest, InvocationContext } = require('@azure/functions');
const { readFileSync } = require('node:fs');

app.http('httpTrigger1', {
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  handler: async (request, context) => {
    context.log(`Http function processed request for url "${request.url}"`);
    const name = request.query.get('name') || (await request.text()) || 'world';
    return {
      jsonBody: {
        greeting: `Hello, ${name}!`,
        requestIsHttpRequest: request instanceof HttpRequest,
        contextIsInvocationContext: context instanceof InvocationContext,
        invocationId: context.invocationId,
        file: readFileSync('data/greeting.txt', 'utf8'),
      },
    };
  },
});
