// Form pieces of the operator's catalog screens (web/src/pages/ops-catalog.tsx,
// web/src/pages/ops-venue-form.tsx): a labelled field with its error under it, the API's 400
// problem+json `errors` (shared/errors.ts) turned into messages keyed by the field they name, and
// the forms' closing row of buttons.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

export type FieldErrors = Record<string, string>;

/**
 * A 400's `errors` by the field they name, without the leading "body." and keeping the first
 * message per field: "body.prices.premium.minor" → "prices.premium.minor". `depth` keeps that many
 * path parts ("prices" at 1); the venue form keeps them all and files them itself.
 */
export function fieldErrors(err: unknown, depth = 1): { fields: FieldErrors; message: string } {
  if (!(err instanceof ApiError)) return { fields: {}, message: (err as Error).message };
  const fields: FieldErrors = {};
  const list = Array.isArray(err.problem.errors) ? (err.problem.errors as { field: string; message: string }[]) : [];
  for (const e of list) {
    const parts = e.field.split('.');
    const path = (parts[0] === 'body' ? parts.slice(1) : parts).slice(0, depth).join('.') || e.field;
    fields[path] ??= e.message;
  }
  return { fields, message: err.message };
}

export function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: unknown;
}) {
  return (
    <div class={`field${error ? ' field-bad' : ''}`}>
      <label for={id}>{label}</label>
      {children as never}
      {error && (
        <p class="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** aria attributes tying an input to its error message (`${id}-err`), when there is one. */
export const invalidProps = (id: string, error: string | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-err` } : {};

/**
 * A form's last row: anything extra (`children`, first), save — "Save thing" for an existing one,
 * "Create thing" for a new one, "Saving…" while busy — and Close, which leaves without saving.
 */
export function FormActions({
  thing,
  existing,
  busy,
  onClose,
  children,
}: {
  thing: string;
  existing: boolean;
  busy: boolean;
  onClose(): void;
  children?: ComponentChildren;
}) {
  return (
    <p class={`row${children ? ' wrap' : ''}`}>
      {children}
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {busy ? 'Saving…' : `${existing ? 'Save' : 'Create'} ${thing}`}
      </button>
      <button class="btn btn-ghost" type="button" onClick={onClose}>
        Close
      </button>
    </p>
  );
}
