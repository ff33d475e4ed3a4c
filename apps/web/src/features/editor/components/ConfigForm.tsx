import { formFieldsOf } from '../registry';
import { useFieldData } from './fields/data/FieldDataContext';
import { useEditor } from '../store/useEditorStore';
import type { Problem } from '../store/types';
import { errorsAt } from '../lib/problemPaths';
import { FieldList } from './fields/FieldList';

/** Engine-level settings every effect node carries; tucked away so the form leads with what matters. */
const ADVANCED_KEYS = new Set(['idempotencyKey', 'retry']);

interface Props {
  type: string;
  config: Record<string, unknown>;
  problems: readonly Problem[];
  readOnly: boolean;
  onChange: (config: Record<string, unknown>, coalesceKey?: string) => void;
}

/** The node's config form, generated from its zod schema (via JSON Schema). */
export function ConfigForm({ type, config, problems, readOnly, onChange }: Props) {
  const fields = formFieldsOf(type);
  const data = useFieldData();
  const warnings = useEditor((s) => (data ? s.warningsByNode[data.nodeId] : undefined));
  if (!fields.length) return <p className="muted small">This step has nothing to configure.</p>;
  const main = fields.filter((f) => !ADVANCED_KEYS.has(f.key));
  const advanced = fields.filter((f) => ADVANCED_KEYS.has(f.key));
  // Open when something inside needs attention: a problem, or a path the sample lacks.
  const advancedHasErrors = advanced.some((f) => errorsAt([...problems, ...(warnings ?? [])], f.key, true).length > 0);
  return (
    <form className="config-form" onSubmit={(e) => e.preventDefault()} data-testid="config-form">
      <FieldList fields={main} value={config} onChange={onChange} path="" problems={problems} readOnly={readOnly} />
      {advanced.length > 0 && (
        <details className="advanced" open={advancedHasErrors || undefined}>
          <summary>Advanced</summary>
          <FieldList fields={advanced} value={config} onChange={onChange} path="" problems={problems} readOnly={readOnly} />
        </details>
      )}
    </form>
  );
}
