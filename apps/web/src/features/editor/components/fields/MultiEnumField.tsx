import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

export function MultiEnumField({ field, value, onChange, path, errors, readOnly }: FieldProps<'multiEnum'>) {
  const id = testIdFor(path);
  const selected = Array.isArray(value) ? value : Array.isArray(field.default) ? field.default : [];
  const toggle = (v: unknown, on: boolean) => {
    const next = field.options.map((o) => o.value).filter((o) => (o === v ? on : selected.includes(o)));
    onChange(next);
  };
  return (
    <FieldShell field={field} errors={errors} group>
      <div className="checklist" data-testid={id}>
        {field.options.map((o) => (
          <label key={String(o.value)} className="check">
            <input
              type="checkbox"
              disabled={readOnly}
              checked={selected.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
              data-testid={`${id}-${String(o.value)}`}
            />
            <span className="mono-soft">{o.label}</span>
          </label>
        ))}
      </div>
    </FieldShell>
  );
}
