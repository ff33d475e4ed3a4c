import { FieldList } from './FieldList';
import { FieldShell } from './FieldShell';
import { asRecord, type FieldProps } from './types';

export function ObjectField({ field, value, onChange, path, errors, problems, readOnly }: FieldProps<'object'>) {
  return (
    <FieldShell field={field} errors={errors} group>
      <div className="nested">
        <FieldList
          fields={field.fields}
          value={asRecord(value)}
          path={path}
          problems={problems}
          readOnly={readOnly}
          onChange={(v, coalesceKey) => onChange(Object.keys(v).length ? v : undefined, !!coalesceKey)}
        />
      </div>
    </FieldShell>
  );
}
