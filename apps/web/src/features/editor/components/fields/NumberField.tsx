import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

export function NumberField({ field, value, onChange, path, errors, readOnly }: FieldProps<'number'>) {
  const id = testIdFor(path);
  return (
    <FieldShell field={field} htmlFor={id} errors={errors}>
      <input
        id={id}
        data-testid={id}
        type="number"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        step={field.integer ? 1 : 'any'}
        min={field.min}
        max={field.max}
        readOnly={readOnly}
        placeholder={field.default !== undefined ? String(field.default) : undefined}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => {
          const raw = e.target.value;
          onChange(raw === '' ? undefined : Number(raw), true);
        }}
      />
    </FieldShell>
  );
}
