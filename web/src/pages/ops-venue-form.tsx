// The operator's venue form (part of /ops/catalog, web/src/pages/ops-catalog.tsx): a new multiplex
// with its screens, or an existing venue's name, address and screens — a screen added, or an
// existing screen's seating changed (functions/venues.ts: PATCH gives a changed screen its next
// layout version; screens not sent stay as they are, and shows already on sale keep their layout).
// A screen is described the way a cinema is: rows × seats per row in two blocks with an aisle
// between, the back rows in the dearer category, wheelchair spaces (each with a companion seat) at
// the start of the front row; then, row by row, what the layout format also carries
// (shared/domain/layout-builder.ts, RowSpec): an indent (empty cells before the first seat, for a
// narrower or curved front) and the row's own blocks of seats, with the screen's aisle width. A
// preview draws the rows as the customer's seat map will. Nothing is checked here: the API's 400
// names each bad field ("body.screens.1.rows.0.indent") and the message is shown by that field.
import { useState } from 'preact/hooks';
import { layout as loadLayout } from '../api/catalog';
import { createVenue, updateVenue, type ScreenInput } from '../api/ops-catalog';
import type { City, Format, Layout, Venue } from '../api/types';
import { Notice } from '../components/ui';
import { Field, fieldErrors, FormActions, invalidProps, type FieldErrors } from './ops-fields';

const FORMATS: Format[] = ['2D', '3D', 'IMAX', 'LIVE'];

/** A screen as the form edits it: the numbers as typed (the API judges them). */
interface ScreenDraft {
  id: string;
  name: string;
  formats: Format[];
  rows: string;
  seats: string;
  prime: string;
  /** Wheelchair spaces on the front row, each with its companion seat beside it. */
  wheelchair: string;
  /** Empty cells between two blocks of a row (blank: the API's default, one). */
  aisle: string;
  /** Rows that differ from the rest, by row index (0 = front): indent, seats per block ("4 6 4"). */
  shape: Record<number, RowShape>;
}

interface RowShape {
  indent?: string;
  blocks?: string;
}

/** A typed number; blank is undefined, anything else goes as typed (NaN is sent as null, for the API to name). */
const typed = (v: string | undefined): number | undefined =>
  v === undefined || v.trim() === '' ? undefined : Number(v);

/** "4 6 4", "4+6+4" or "4, 6, 4" → [4, 6, 4]; a bad part stays NaN for the API to name. */
const blockList = (v: string): number[] =>
  v
    .trim()
    .split(/[\s+,]+/)
    .map(Number);

/** Row labels A…Z, then AA, AB… (the API allows up to three letters). */
const rowLabel = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : rowLabel(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));

/** What the API takes for a drafted screen. Blank or silly numbers go as they are, for the API to name. */
export function screenSpec(d: ScreenDraft): ScreenInput {
  // At most 100 rows are drawn up: enough for the API to say "too many" (its limit is 60).
  const rows = Math.min(100, Math.max(0, Math.floor(Number(d.rows) || 0)));
  const seats = d.seats.trim() === '' ? NaN : Math.floor(Number(d.seats));
  const prime = Math.min(rows, Math.max(0, Math.floor(Number(d.prime) || 0)));
  const wheelchair = d.wheelchair.trim() === '' ? 0 : Math.floor(Number(d.wheelchair));
  // Two blocks with an aisle; a row of one seat (or a bad number) is one block, judged by the API.
  const blocks =
    Number.isFinite(seats) && seats >= 2 ? [Math.floor(seats / 2), seats - Math.floor(seats / 2)] : [seats];
  return {
    id: d.id,
    name: d.name,
    formats: d.formats,
    // Only the categories the rows use: each one asks the show form for a price.
    categories: [
      ...(prime < rows || rows === 0 ? [{ id: 'classic', name: 'Classic' }] : []),
      ...(prime ? [{ id: 'prime', name: 'Prime' }] : []),
    ],
    rows: Array.from({ length: rows }, (_, i) => {
      const shape = d.shape[i];
      const indent = typed(shape?.indent);
      return {
        label: rowLabel(i),
        category: i >= rows - prime ? 'prime' : 'classic',
        blocks: shape?.blocks?.trim() ? blockList(shape.blocks) : blocks,
        // A bad number goes as it is (NaN is sent as null) for the API to name the field.
        ...(indent !== undefined && indent !== 0 ? { indent } : {}),
        ...(i === 0 && wheelchair !== 0 ? { wheelchairPairs: wheelchair } : {}),
      };
    }),
    ...(typed(d.aisle) !== undefined ? { aisleWidth: typed(d.aisle) } : {}),
  };
}

/** A row's cells as the layout builds them (shared/domain/layout-builder.ts, buildRow): true = a seat. */
function rowCells(row: ScreenInput['rows'][number], aisle: number): boolean[] {
  const ok = (n: unknown, max: number) =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 ? Math.min(n, max) : 0;
  const cells: boolean[] = Array.from({ length: ok(row.indent, 20) }, () => false);
  row.blocks.forEach((count, b) => {
    if (b > 0) for (let k = 0; k < aisle; k++) cells.push(false);
    for (let k = 0; k < ok(count, 60); k++) cells.push(true);
  });
  return cells;
}

/**
 * A drafted screen's field an API error path belongs to: "rows.3.indent" → row 3's indent,
 * "rows.3.blocks.0" → row 3's blocks when that row has its own, else seats per row.
 */
function screenField(rest: string[], draft: ScreenDraft | undefined): string {
  if (rest[0] === 'rows') {
    const row = Number(rest[1]);
    if (rest[2] === 'indent') return `row${row}-indent`;
    if (rest[2] === 'blocks') return draft?.shape[row]?.blocks?.trim() ? `row${row}-blocks` : 'seats';
    return rest[2] === 'wheelchairPairs' ? 'wheelchair' : 'rows';
  }
  if (rest[0] === 'aisleWidth') return 'aisle';
  if (rest[0] === 'categories') return 'prime';
  return ['name', 'formats'].includes(rest[0] ?? '') ? rest[0]! : 'name';
}

/**
 * Files the API's errors under the form's fields: "name", "address", "screens", and "s<i>-<field>"
 * for the i-th drafted screen (the screens are sent in the drafts' order).
 */
function fileErrors(fields: FieldErrors, drafts: ScreenDraft[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const [top, i, ...rest] = path.split('.');
    if (top === 'screens' && i !== undefined && /^\d+$/.test(i)) {
      out[`s${i}-${screenField(rest, drafts[Number(i)])}`] ??= message;
    } else out[top ?? path] ??= message;
  }
  return out;
}

/** A fresh screen id that the venue does not use yet (the API wants [a-z0-9]{1,12}). */
function freeScreenId(taken: string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`s${n}`)) n++;
  return `s${n}`;
}

/**
 * An existing screen's rows as the form drafts them: each row's indent (its leading gaps) and its
 * blocks where they differ from seats-per-row's two halves, and the aisle (the first gap between
 * two blocks).
 */
function shapesOf(
  rows: Layout['sections'][number]['rows'],
  seats: number,
): { shape: ScreenDraft['shape']; aisle?: number } {
  const shape: ScreenDraft['shape'] = {};
  let aisle: number | undefined;
  rows.forEach((row, i) => {
    const first = row.cells.findIndex(Boolean);
    const blocks: number[] = [];
    let gap = 0;
    for (const cell of row.cells.slice(Math.max(0, first))) {
      if (cell) {
        if (gap || !blocks.length) blocks.push(0);
        if (gap && aisle === undefined) aisle = gap;
        gap = 0;
        blocks[blocks.length - 1]!++;
      } else gap++;
    }
    const half = Math.floor(seats / 2);
    const usual = seats >= 2 ? [half, seats - half] : [seats];
    const s: RowShape = {};
    if (first > 0) s.indent = String(first);
    if (blocks.join(' ') !== usual.join(' ')) s.blocks = blocks.join(' ');
    if (s.indent || s.blocks) shape[i] = s;
  });
  return { shape, aisle };
}

const blank = (id: string, n: number): ScreenDraft => ({
  id,
  name: `Screen ${n}`,
  formats: ['2D', '3D'],
  rows: '10',
  seats: '16',
  prime: '3',
  wheelchair: '0',
  aisle: '',
  shape: {},
});

export function VenueForm({
  city,
  venue,
  onDone,
  onCancel,
}: {
  city: City;
  venue?: Venue;
  onDone: (v: Venue, created: boolean) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(venue?.name ?? '');
  const [address, setAddress] = useState(venue?.address ?? '');
  // The screens being drawn up: all of a new venue's; an existing venue's added or changed ones.
  const [drafts, setDrafts] = useState<ScreenDraft[]>(() => (venue ? [] : [blank('s1', 1)]));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const p = venue ? `vf-${venue.id}` : 'vf';
  const taken = [...(venue?.screens.map((s) => s.id) ?? []), ...drafts.map((d) => d.id)];

  const edit = (i: number, patch: Partial<ScreenDraft>) =>
    setDrafts((ds) => ds.map((d, k) => (k === i ? { ...d, ...patch } : d)));

  /** Starts changing an existing screen's seating from what its current layout has. */
  const change = async (screenId: string) => {
    const screen = venue!.screens.find((s) => s.id === screenId)!;
    const layout = await loadLayout(screen.layoutId).catch(() => undefined);
    const rows = layout?.sections.flatMap((s) => s.rows) ?? [];
    const seats = Math.max(0, ...rows.map((r) => r.cells.filter(Boolean).length));
    const prime = rows.filter((r) => r.category !== rows[0]?.category).length;
    const wheelchair = rows[0]?.cells.filter((c) => c?.kind === 'wheelchair').length ?? 0;
    const { shape, aisle } = shapesOf(rows, seats);
    setDrafts((ds) =>
      ds.some((d) => d.id === screenId)
        ? ds
        : [
            ...ds,
            {
              id: screenId,
              name: screen.name,
              formats: screen.formats,
              rows: String(rows.length || 10),
              seats: String(seats || 16),
              prime: String(prime),
              wheelchair: String(wheelchair),
              aisle: aisle === undefined ? '' : String(aisle),
              shape,
            },
          ],
    );
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    const screens = drafts.map(screenSpec);
    try {
      const saved = venue
        ? await updateVenue(venue.id, {
            ...(name !== venue.name ? { name } : {}),
            ...(address !== venue.address ? { address } : {}),
            ...(screens.length ? { screens } : {}),
          })
        : await createVenue({ city: city.id, name, address, kind: 'multiplex', screens });
      onDone(saved, !venue);
    } catch (err) {
      const { fields, message } = fieldErrors(err, 9);
      const filed = fileErrors(fields, drafts);
      setErrors(filed);
      // The paths are for the fields; the operator reads the messages by them.
      setMessage(Object.keys(filed).length ? 'Please correct the fields marked below.' : message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card ops-form venue-form" onSubmit={(e) => void save(e)} aria-labelledby={`${p}-h`} noValidate>
      <h2 id={`${p}-h`}>{venue ? `Edit ${venue.name}` : `New venue in ${city.name}`}</h2>
      {message && (
        <Notice kind="error" live="assertive">
          {message}
        </Notice>
      )}
      <Field id={`${p}-name`} label="Venue name" error={errors.name}>
        <input
          id={`${p}-name`}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          {...invalidProps(`${p}-name`, errors.name)}
        />
      </Field>
      <Field id={`${p}-address`} label="Address" error={errors.address}>
        <input
          id={`${p}-address`}
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
          {...invalidProps(`${p}-address`, errors.address)}
        />
      </Field>
      {venue && (
        <ul class="screen-list" aria-label="Screens">
          {venue.screens.map((s) => (
            <li key={s.id} data-screen={s.id}>
              {s.name}: {s.seatCount} seats, {s.formats.join(', ')}{' '}
              {!drafts.some((d) => d.id === s.id) && (
                <button
                  type="button"
                  class="btn btn-small btn-ghost"
                  aria-label={`Change seating of ${s.name}`}
                  onClick={() => void change(s.id)}
                >
                  Change seating
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {errors.screens && (
        <p class="field-error" id={`${p}-screens-err`} role="alert">
          {errors.screens}
        </p>
      )}
      {drafts.map((d, i) => (
        <ScreenFields
          key={d.id}
          p={`${p}-s${i}`}
          draft={d}
          existing={!!venue?.screens.some((s) => s.id === d.id)}
          errors={Object.fromEntries(
            Object.entries(errors)
              .filter(([k]) => k.startsWith(`s${i}-`))
              .map(([k, v]) => [k.slice(`s${i}-`.length), v]),
          )}
          onChange={(patch) => edit(i, patch)}
          onRemove={() => setDrafts((ds) => ds.filter((_, k) => k !== i))}
        />
      ))}
      <FormActions thing="venue" existing={!!venue} busy={busy} onClose={onCancel}>
        <button
          type="button"
          class="btn btn-ghost"
          onClick={() => setDrafts((ds) => [...ds, blank(freeScreenId(taken), taken.length + 1)])}
        >
          Add a screen
        </button>
      </FormActions>
    </form>
  );
}

function ScreenFields({
  p,
  draft,
  existing,
  errors,
  onChange,
  onRemove,
}: {
  p: string;
  draft: ScreenDraft;
  existing: boolean;
  errors: FieldErrors;
  onChange: (patch: Partial<ScreenDraft>) => void;
  onRemove: () => void;
}) {
  const title = existing ? `${draft.name}: new seating` : `New screen ${draft.name}`;
  const number = (key: 'rows' | 'seats' | 'prime' | 'wheelchair' | 'aisle', label: string) => (
    <Field id={`${p}-${key}`} label={label} error={errors[key]}>
      <input
        id={`${p}-${key}`}
        type="number"
        inputMode="numeric"
        value={draft[key]}
        onInput={(e) => onChange({ [key]: e.currentTarget.value })}
        {...invalidProps(`${p}-${key}`, errors[key])}
      />
    </Field>
  );
  return (
    <fieldset class="screen-draft" data-draft={draft.id}>
      <legend>{title}</legend>
      <Field id={`${p}-name`} label="Screen name" error={errors.name}>
        <input
          id={`${p}-name`}
          value={draft.name}
          onInput={(e) => onChange({ name: e.currentTarget.value })}
          {...invalidProps(`${p}-name`, errors.name)}
        />
      </Field>
      <div class="row wrap">
        {number('rows', 'Rows')}
        {number('seats', 'Seats per row')}
        {number('prime', 'Prime rows at the back')}
        {number('wheelchair', 'Wheelchair spaces, front row')}
        {number('aisle', 'Aisle width (seats)')}
      </div>
      <RowShapes p={p} draft={draft} errors={errors} onChange={onChange} />
      <div
        class={`field${errors.formats ? ' field-bad' : ''}`}
        role="group"
        aria-labelledby={`${p}-formats-l`}
        aria-describedby={errors.formats ? `${p}-formats-err` : undefined}
      >
        <span id={`${p}-formats-l`}>Formats</span>
        <span class="row wrap">
          {FORMATS.map((f) => (
            <label key={f} class="check">
              <input
                type="checkbox"
                checked={draft.formats.includes(f)}
                onChange={(e) =>
                  onChange({
                    formats: e.currentTarget.checked ? [...draft.formats, f] : draft.formats.filter((x) => x !== f),
                  })
                }
              />{' '}
              {f}
            </label>
          ))}
        </span>
        {errors.formats && (
          <p class="field-error" id={`${p}-formats-err`} role="alert">
            {errors.formats}
          </p>
        )}
      </div>
      <p>
        <button type="button" class="btn btn-small btn-ghost" onClick={onRemove}>
          {existing ? 'Keep the current seating' : 'Remove this screen'}
        </button>
      </p>
    </fieldset>
  );
}

/**
 * Row by row: each row's indent and its own blocks of seats (blank: as the numbers above say), and
 * a preview of the rows as the customer's seat map lays them out, redrawn as the operator types.
 */
function RowShapes({
  p,
  draft,
  errors,
  onChange,
}: {
  p: string;
  draft: ScreenDraft;
  errors: FieldErrors;
  onChange: (patch: Partial<ScreenDraft>) => void;
}) {
  const spec = screenSpec(draft);
  const rowErrors = Object.keys(errors).some((k) => k.startsWith('row'));
  const shaped = Object.keys(draft.shape).length > 0;
  const set = (i: number, key: keyof RowShape, value: string) =>
    onChange({ shape: { ...draft.shape, [i]: { ...draft.shape[i], [key]: value } } });
  const half = (n: number) => `${Math.floor(n / 2)} ${n - Math.floor(n / 2)}`;
  const seats = Number(draft.seats);
  const usual = Number.isInteger(seats) && seats >= 2 ? half(seats) : draft.seats;
  const cell = (i: number, key: keyof RowShape, label: string, placeholder: string, numeric: boolean) => {
    const id = `${p}-row${i}-${key}`;
    const error = errors[`row${i}-${key}`];
    return (
      <td class={error ? 'field-bad' : undefined}>
        <input
          id={id}
          class={numeric ? 'row-indent' : 'row-blocks'}
          aria-label={label}
          inputMode={numeric ? 'numeric' : 'text'}
          placeholder={placeholder}
          value={draft.shape[i]?.[key] ?? ''}
          onInput={(e) => set(i, key, e.currentTarget.value)}
          {...invalidProps(id, error)}
        />
        {error && (
          <p class="field-error" id={`${id}-err`} role="alert">
            {error}
          </p>
        )}
      </td>
    );
  };
  return (
    <details class="row-shapes" open={rowErrors || shaped}>
      <summary>Row by row: indents and blocks of seats</summary>
      <div class="row-shapes-body">
        <table class="row-shape-table">
          <caption class="meta small">
            Front row first. Indent: empty seats' width before the first seat (a narrower or curved row). Blocks: seats
            per block left to right, aisles between (e.g. “4 6 4”). Blank: as above.
          </caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Indent</th>
              <th scope="col">Blocks</th>
            </tr>
          </thead>
          <tbody>
            {spec.rows.map((row, i) => (
              <tr key={row.label} data-row={row.label}>
                <th scope="row">{row.label}</th>
                {cell(i, 'indent', `Row ${row.label} indent`, '0', true)}
                {cell(i, 'blocks', `Row ${row.label} blocks`, usual, false)}
              </tr>
            ))}
          </tbody>
        </table>
        <ScreenPreview spec={spec} />
      </div>
    </details>
  );
}

/** The drafted rows drawn to scale, the screen at the top: one small square per seat, Prime darker. */
function ScreenPreview({ spec }: { spec: ScreenInput }) {
  const aisle = Number.isInteger(spec.aisleWidth) && spec.aisleWidth! > 0 ? Math.min(spec.aisleWidth!, 4) : 1;
  const rows = spec.rows.map((r) => ({ label: r.label, category: r.category, cells: rowCells(r, aisle) }));
  const width = Math.max(1, ...rows.map((r) => r.cells.length));
  const U = 8;
  const paths: Record<string, string> = {};
  rows.forEach((r, y) =>
    r.cells.forEach((seat, x) => {
      if (seat) paths[r.category] = `${paths[r.category] ?? ''}M${x * U} ${16 + y * U}h6v6h-6z`;
    }),
  );
  const count = rows.reduce((n, r) => n + r.cells.filter(Boolean).length, 0);
  return (
    <svg
      class="screen-preview"
      data-testid="screen-preview"
      data-seats={count}
      viewBox={`-2 0 ${width * U + 2} ${18 + rows.length * U}`}
      role="img"
      aria-label={`Preview: ${rows.length} rows, ${count} seats, the screen at the top`}
    >
      <path class="preview-screen" d={`M0 4Q${(width * U) / 2} 0 ${width * U - 2} 4`} />
      {Object.entries(paths).map(([category, d]) => (
        <path key={category} class={`preview-${category}`} d={d} />
      ))}
    </svg>
  );
}
