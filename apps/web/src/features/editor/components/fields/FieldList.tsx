import type { FieldSpec } from '../../lib/schemaFields';
import { setField } from '../../lib/schemaFields';
import type { Problem } from '../../store/types';
import { FieldRenderer } from './FieldRenderer';
import { join } from './types';

interface Props {
  fields: FieldSpec[];
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>, coalesceKey?: string) => void;
  path: string;
  problems: readonly Problem[];
  readOnly: boolean;
}

/** Renders the fields of one object value; a field with key '' edits the object itself. */
export function FieldList({ fields, value, onChange, path, problems, readOnly }: Props) {
  return (
    <>
      {fields.map((f) => {
        const fieldPath = join(path, f.key);
        return (
          <FieldRenderer
            key={f.key || '(root)'}
            field={f}
            value={f.key === '' ? value : value[f.key]}
            parent={value}
            path={fieldPath}
            problems={problems}
            readOnly={readOnly}
            onChange={(v, coalesce) =>
              onChange(f.key === '' ? ((v as Record<string, unknown>) ?? {}) : setField(value, f.key, v), coalesce ? fieldPath : undefined)
            }
          />
        );
      })}
    </>
  );
}
