// The page for something that does not exist (an unknown path, show, movie or booking): says what
// was looked for and offers the way back, instead of an error box with a "Try again" that cannot help.
import type { ComponentChildren } from 'preact';
import { useTitle } from '../hooks';
import { ApiError } from '../api/client';

/** The API said the thing is not there (404, or a show the booking API calls unknown). */
export const isNotFound = (err: unknown): boolean =>
  err instanceof ApiError && (err.status === 404 || err.code === 'NOT_FOUND' || err.code === 'SHOW_NOT_FOUND');

export function NotFound({ what, children }: { what: string; children?: ComponentChildren }) {
  useTitle('Not found');
  return (
    <section class="not-found" data-testid="not-found">
      <h1>{what} not found</h1>
      <p>
        We could not find it. It may have been removed, or the link may be mistyped.
        {children ? <> {children}</> : null}
      </p>
      <p>
        <a class="btn" href="/">
          Browse what's on
        </a>
      </p>
    </section>
  );
}
