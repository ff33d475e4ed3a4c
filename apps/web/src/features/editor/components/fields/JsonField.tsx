import { useState } from 'react';
import { prettyJson } from '../../../../lib/format';
import { FieldShell } from './FieldShell';
import { testIdFor, type FieldProps } from './types';

/** Fallback for shapes the form can't draw: edit as JSON, applied when valid. */
export function JsonField({ field, value, onChange, path, errors, readOnly }: FieldProps<'json'>) {
  const id = testIdFor(path);
  const [text, setText] = useState(() => (value === undefined ? '' : prettyJson(value)));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <FieldShell field={field} htmlFor={id} errors={parseError ? [parseError, ...errors] : errors} hint="JSON">
      <textarea
        id={id}
        data-testid={id}
        className="mono"
        rows={5}
        readOnly={readOnly}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (!t.trim()) {
            setParseError(null);
            onChange(undefined, true);
            return;
          }
          try {
            onChange(JSON.parse(t), true);
            setParseError(null);
          } catch {
            setParseError('Not valid JSON yet');
          }
        }}
      />
    </FieldShell>
  );
}
