import { FieldShell } from './FieldShell';
import { DataTextInput } from './data/DataTextInput';
import { useFieldData } from './data/FieldDataContext';
import { testIdFor, type FieldProps } from './types';

export function TextField({ field, value, onChange, path, errors, readOnly }: FieldProps<'string'>) {
  const id = testIdFor(path);
  const data = useFieldData();
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // Every config string is rendered as a template by the engine, so every one may read data; secrets never.
  const dataAware = data !== null && !field.secret;
  const hint = field.expression
    ? 'Expression (JSONata), e.g. trigger.payment.status = "cleared"'
    : field.multiline
      ? 'Insert values with {{ trigger.payment.email }} or {{ steps.crm_1.dealId }}.'
      : undefined;
  const common = {
    id,
    'data-testid': id,
    value: text,
    readOnly,
    placeholder: field.placeholder ?? (field.default !== undefined ? String(field.default) : undefined),
    className: field.expression ? 'mono' : undefined,
    spellCheck: !field.expression,
    'aria-invalid': errors.length > 0 || undefined,
  };
  if (dataAware) {
    return (
      <FieldShell field={field} htmlFor={id} errors={errors} hint={hint}>
        <DataTextInput field={field} path={path} text={text} readOnly={readOnly} inputProps={common} onText={(t) => onChange(t, true)} nodeId={data.nodeId} flowId={data.flowId} />
      </FieldShell>
    );
  }
  return (
    <FieldShell field={field} htmlFor={id} errors={errors} hint={hint}>
      {field.multiline ? (
        <textarea {...common} rows={field.expression ? 3 : 4} onChange={(e) => onChange(e.target.value, true)} />
      ) : (
        <input
          {...common}
          type={field.secret ? 'password' : field.format === 'email' ? 'email' : field.format === 'uri' ? 'url' : 'text'}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value, true)}
        />
      )}
    </FieldShell>
  );
}
