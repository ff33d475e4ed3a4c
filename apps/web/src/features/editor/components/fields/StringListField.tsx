import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

export function StringListField({ field, value, onChange, path, errors, readOnly }: FieldProps<'stringList'>) {
  const id = testIdFor(path);
  const items = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : String(v))) : [];
  const set = (next: string[], coalesce = false) => onChange(next, coalesce);
  return (
    <FieldShell field={field} errors={errors} group>
      <div className="rows" data-testid={id}>
        {items.map((item, i) => (
          <div className="row" key={i}>
            <input
              aria-label={`${field.label} ${i + 1}`}
              data-testid={`${id}-${i}`}
              value={item}
              readOnly={readOnly}
              onChange={(e) => set(items.map((x, j) => (j === i ? e.target.value : x)), true)}
            />
            {!readOnly && (
              <button type="button" className="icon-btn" aria-label="Remove" onClick={() => set(items.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
          </div>
        ))}
        {!readOnly && (
          <button type="button" className="btn btn-ghost btn-small btn-add" onClick={() => set([...items, ''])} data-testid={`${id}-add`}>
            + Add
          </button>
        )}
      </div>
    </FieldShell>
  );
}
