import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

export function SelectField({ field, value, onChange, path, errors, readOnly }: FieldProps<'enum'>) {
  const id = testIdFor(path);
  const current = value ?? field.default;
  const index = field.options.findIndex((o) => o.value === current);
  return (
    <FieldShell field={field} htmlFor={id} errors={errors}>
      <select
        id={id}
        data-testid={id}
        disabled={readOnly}
        value={index < 0 ? '' : String(index)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : field.options[Number(e.target.value)].value)}
      >
        {(index < 0 || !field.required) && <option value="">{field.required ? 'Choose…' : '—'}</option>}
        {field.options.map((o, i) => (
          <option key={String(o.value)} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
