import { FieldShell } from './FieldShell';
import { asRecord, testIdFor, type FieldProps } from './types';

/** A string → string map edited as rows; keys are kept in insertion order. */
export function KeyValueField({ field, value, onChange, path, errors, readOnly }: FieldProps<'keyValue'>) {
  const id = testIdFor(path);
  const entries = Object.entries(asRecord(value)).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)] as const);
  const emit = (next: ReadonlyArray<readonly [string, string]>, coalesce = false) =>
    onChange(next.length ? Object.fromEntries(next) : undefined, coalesce);
  return (
    <FieldShell field={field} errors={errors} group>
      <div className="rows" data-testid={id}>
        {entries.map(([k, v], i) => (
          <div className="row" key={i}>
            <input aria-label="Key" placeholder="key" value={k} readOnly={readOnly} onChange={(e) => emit(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)), true)} />
            <input aria-label="Value" placeholder="value" value={v} readOnly={readOnly} onChange={(e) => emit(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)), true)} />
            {!readOnly && (
              <button type="button" className="icon-btn" aria-label="Remove" onClick={() => emit(entries.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
          </div>
        ))}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-ghost btn-small btn-add"
            data-testid={`${id}-add`}
            onClick={() => {
              let n = entries.length + 1;
              while (entries.some(([k]) => k === `key${n}`)) n++;
              emit([...entries, [`key${n}`, '']]);
            }}
          >
            + Add
          </button>
        )}
      </div>
    </FieldShell>
  );
}
