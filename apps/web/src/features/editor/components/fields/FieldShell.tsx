import type { ReactNode } from 'react';
import type { FieldSpec } from '../../lib/schemaFields';

interface Props {
  field: FieldSpec;
  htmlFor?: string;
  errors: string[];
  hint?: ReactNode;
  children: ReactNode;
  /** Group fields (checkbox lists, rows) use a fieldset/legend instead of a label. */
  group?: boolean;
}

export function FieldShell({ field, htmlFor, errors, hint, children, group }: Props) {
  const title = (
    <>
      {field.label}
      {!field.required && <span className="field-optional">optional</span>}
    </>
  );
  const body = (
    <>
      {field.description && <span className="field-desc">{field.description}</span>}
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {errors.length > 0 && (
        <span className="field-error" role="alert">
          {errors[0]}
        </span>
      )}
    </>
  );
  if (group) {
    return (
      <fieldset className={errors.length ? 'field field-group has-error' : 'field field-group'}>
        <legend className="field-label">{title}</legend>
        {body}
      </fieldset>
    );
  }
  return (
    <div className={errors.length ? 'field has-error' : 'field'}>
      <label className="field-label" htmlFor={htmlFor}>
        {title}
      </label>
      {body}
    </div>
  );
}
