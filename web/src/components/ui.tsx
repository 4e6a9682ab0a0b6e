// Shared bits of UI: status messages, loading, error boxes.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** Trying again can help: the network, a server fault, or an answer that names a time to retry. */
const retryable = (error: Error) =>
  !(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.problem.retryable === true;

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const code = error instanceof ApiError ? error.code : undefined;
  // The code is for support and tests (data-code), not for the reader.
  return (
    <div class="notice notice-error" role="alert" data-code={code}>
      <p>{error.message || 'Something went wrong.'}</p>
      {retry && retryable(error) && (
        <button type="button" class="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
  live = 'polite',
}: {
  kind?: 'info' | 'warn' | 'error' | 'ok';
  children: ComponentChildren;
  live?: 'polite' | 'assertive';
}) {
  return (
    <div class={`notice notice-${kind}`} role={live === 'assertive' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Chip({
  pressed,
  onClick,
  children,
}: {
  pressed: boolean;
  onClick: () => void;
  children: ComponentChildren;
}) {
  return (
    <button type="button" class="chip" aria-pressed={pressed} onClick={onClick}>
      {children}
    </button>
  );
}
