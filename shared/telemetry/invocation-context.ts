// The Functions host's trace context into the handler (docs/telemetry.md): the host opens the span of
// each invocation (the HTTP request, the Durable activity, the Service Bus message) and hands the
// worker its traceparent in InvocationContext.traceContext; running the handler inside that context
// makes every span the app starts a child of the host's. The same few lines as
// @azure/functions-opentelemetry-instrumentation's hook, registered directly: that package patches
// `@azure/functions` when it is first required, which in the local host (which loads the library
// before the app) has already happened.
import { app } from '@azure/functions';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

let registered = false;

export function traceInvocations(): void {
  if (registered) return;
  registered = true;
  app.hook.preInvocation((hook) => {
    const traceContext = hook.invocationContext.traceContext;
    if (!traceContext?.traceParent) return;
    const parent = propagation.extract(ROOT_CONTEXT, {
      traceparent: traceContext.traceParent,
      ...(traceContext.traceState ? { tracestate: traceContext.traceState } : {}),
    });
    hook.functionHandler = context.bind(parent, hook.functionHandler);
  });
}
