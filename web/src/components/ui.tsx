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

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div class="notice notice-error" role="alert">
      <p>
        {error.message || 'Something went wrong.'}
        {code && code !== 'NETWORK' && <span class="code"> ({code})</span>}
      </p>
      {retry && (
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
