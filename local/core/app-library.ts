// The app's own `@azure/functions`, as the real worker uses it: the objects a function receives
// (HttpRequest, InvocationContext) and the HttpResponse it may return are made with the classes of
// the copy the app resolves from its own folder, so `request instanceof HttpRequest` holds in the app
// whatever version it ships. The host's copy is only the fallback for an app that has none (it could
// not have registered anything through it anyway) and the source of the types.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as hostCopy from '@azure/functions';

export interface FunctionsLibrary {
  readonly HttpRequest: typeof hostCopy.HttpRequest;
  readonly HttpResponse: typeof hostCopy.HttpResponse;
  readonly InvocationContext: typeof hostCopy.InvocationContext;
  /** The module file the classes came from (the app's copy, or the host's). */
  readonly path: string;
}

let current: FunctionsLibrary = {
  HttpRequest: hostCopy.HttpRequest,
  HttpResponse: hostCopy.HttpResponse,
  InvocationContext: hostCopy.InvocationContext,
  path: require.resolve('@azure/functions'),
};

/** The classes invocations are built with (the app's once `useAppLibrary` found them). */
export function functionsLibrary(): FunctionsLibrary {
  return current;
}

const nativeRequestSupport = new WeakMap<object, boolean>();

/**
 * Whether this HttpRequest class takes the `nativeRequest` init field (the library's own, for
 * streamed requests; recent 4.x versions): tried once per class with a stand-in request.
 */
export function acceptsNativeRequest(HttpRequest: FunctionsLibrary['HttpRequest']): boolean {
  let known = nativeRequestSupport.get(HttpRequest);
  if (known === undefined) {
    const probe = { url: 'http://127.0.0.1/probe', method: 'GET', headers: new Headers() };
    try {
      const made = new HttpRequest({ nativeRequest: probe, query: {}, params: {} } as never);
      known = made.url === probe.url;
    } catch {
      known = false;
    }
    nativeRequestSupport.set(HttpRequest, known);
  }
  return known;
}

/** Resolves `@azure/functions` from the app root, as the app's own `require` would. */
export function useAppLibrary(appRoot: string): FunctionsLibrary {
  const appRequire = createRequire(join(appRoot, 'package.json'));
  let path: string;
  try {
    path = appRequire.resolve('@azure/functions');
  } catch {
    return current; // no copy of its own: the host's
  }
  const lib = appRequire(path) as typeof hostCopy;
  current = {
    HttpRequest: lib.HttpRequest,
    HttpResponse: lib.HttpResponse,
    InvocationContext: lib.InvocationContext,
    path,
  };
  return current;
}
