import { testIdFor, type FieldProps } from './types';

export function BooleanField({ field, value, onChange, path, errors, readOnly }: FieldProps<'boolean'>) {
  const id = testIdFor(path);
  const checked = typeof value === 'boolean' ? value : field.default === true;
  return (
    <div className={errors.length ? 'field field-inline has-error' : 'field field-inline'}>
      <label className="switch" htmlFor={id}>
        <input id={id} data-testid={id} type="checkbox" checked={checked} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-track" aria-hidden="true" />
        <span className="field-label">{field.label}</span>
      </label>
      {field.description && <span className="field-desc">{field.description}</span>}
      {errors.map((e, i) => (
        <span key={i} className="field-error" role="alert">
          {e}
        </span>
      ))}
    </div>
  );
}
