import { defaultsFor, setField, type FieldSpec } from '../../lib/schemaFields';
import { FieldShell } from './FieldShell';
import { FieldRenderer } from './FieldRenderer';
import { asRecord, join, testIdFor, type FieldProps } from './types';

function blankRow(fields: FieldSpec[]): Record<string, unknown> {
  const props = Object.fromEntries(fields.map((f) => [f.key, f.default !== undefined ? { default: f.default } : {}]));
  return defaultsFor({ type: 'object', properties: props });
}

/** A list of small objects (e.g. intake form fields), one card per row. */
export function ObjectListField({ field, value, onChange, path, errors, problems, readOnly }: FieldProps<'objectList'>) {
  const id = testIdFor(path);
  const rows = Array.isArray(value) ? value.map(asRecord) : [];
  return (
    <FieldShell field={field} errors={errors} group>
      <div className="rows" data-testid={id}>
        {rows.map((row, i) => (
          <div className="row-card" key={i}>
            <div className="row-card-fields">
              {field.itemFields.map((f) => (
                <FieldRenderer
                  key={f.key}
                  field={f}
                  value={row[f.key]}
                  parent={row}
                  path={join(join(path, i), f.key)}
                  problems={problems}
                  readOnly={readOnly}
                  onChange={(v, coalesce) => onChange(rows.map((r, j) => (j === i ? setField(r, f.key, v) : r)), coalesce)}
                />
              ))}
            </div>
            {!readOnly && (
              <button type="button" className="icon-btn" aria-label={`Remove row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
          </div>
        ))}
        {!readOnly && (
          <button type="button" className="btn btn-ghost btn-small btn-add" onClick={() => onChange([...rows, blankRow(field.itemFields)])} data-testid={`${id}-add`}>
            + Add
          </button>
        )}
      </div>
    </FieldShell>
  );
}
