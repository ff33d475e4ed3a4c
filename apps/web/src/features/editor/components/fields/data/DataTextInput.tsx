import { useRef, useState, type KeyboardEvent } from 'react';
import { stringifyValue } from '@handoff/nodes';
import { usePreview } from '../../../hooks/usePreview';
import { useSampleScope } from '../../../hooks/useSampleScope';
import type { DataSource } from '../../../lib/dataScope';
import { completionsAt, insertPath, type CompletionList, type FieldMode } from '../../../lib/fieldInsert';
import { configPath } from '../../../lib/problemPaths';
import type { FieldSpec } from '../../../lib/schemaFields';
import { useEditor } from '../../../store/useEditorStore';
import { FieldPicker } from './FieldPicker';

type TextInput = HTMLInputElement | HTMLTextAreaElement;

interface Props {
  field: Extract<FieldSpec, { kind: 'string' }>;
  path: string;
  text: string;
  readOnly: boolean;
  inputProps: { id: string; 'data-testid': string; value: string; readOnly: boolean; placeholder?: string; className?: string; spellCheck: boolean; 'aria-invalid'?: boolean };
  onText: (text: string) => void;
  nodeId: string;
  flowId: string;
}

const NO_WARNINGS: never[] = [];

const PREVIEW_LABEL: Record<DataSource, string> = {
  run: 'Preview on the last run',
  'test run': 'Preview on the last test run',
  sample: 'Preview on sample data',
  none: 'Preview',
};

/**
 * A config string that reads run data: an "Insert data" picker, completions while typing a path
 * inside `{{ }}` (or anywhere in an expression), a preview rendered against the sample, and the
 * field's unknown-path warnings.
 */
export function DataTextInput({ field, path, text, readOnly, inputProps, onText, nodeId, flowId }: Props) {
  const mode: FieldMode = field.expression ? 'expression' : 'template';
  const sample = useSampleScope(nodeId, flowId);
  const warnings = (useEditor((s) => s.warningsByNode[nodeId]) ?? NO_WARNINGS).filter((w) => configPath(w) === path);
  const preview = usePreview(text, mode, sample.scope, true);
  const ref = useRef<TextInput | null>(null);
  const [list, setList] = useState<CompletionList | null>(null);
  const [active, setActive] = useState(0);
  const name = path.replace(/\./g, '-');

  const placeCaret = (caret: number) =>
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(caret, caret);
    });

  const suggest = (value: string, caret: number | null) => {
    const next = caret === null ? null : completionsAt(value, caret, mode, sample.scope);
    setList(next);
    setActive(0);
  };

  const accept = (i: number) => {
    if (!list) return;
    const item = list.items[i];
    const next = text.slice(0, list.from) + item.insert + text.slice(list.to);
    onText(next);
    setList(null);
    placeCaret(list.from + item.insert.length);
  };

  const insert = (p: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? start;
    const next = insertPath(text, start, end, p, mode);
    onText(next.text);
    placeCaret(next.caret);
  };

  const onKeyDown = (e: KeyboardEvent<TextInput>) => {
    if (!list) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = list.items.length;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setList(null);
    }
  };

  const common = {
    ...inputProps,
    ref: (el: TextInput | null) => {
      ref.current = el;
    },
    autoComplete: 'off',
    'aria-autocomplete': 'list' as const,
    'aria-controls': list ? `${inputProps.id}-completions` : undefined,
    'aria-activedescendant': list ? `${inputProps.id}-option-${active}` : undefined,
    onChange: (e: { target: TextInput }) => {
      onText(e.target.value);
      suggest(e.target.value, e.target.selectionStart);
    },
    onKeyDown,
    onBlur: () => setList(null),
  };

  return (
    <div className="data-field">
      <div className="data-input">
        {field.multiline ? <textarea {...common} rows={field.expression ? 3 : 4} /> : <input {...common} type="text" />}
        {list && (
          <ul className="completions" role="listbox" id={`${inputProps.id}-completions`} data-testid={`completions-${name}`}>
            {list.items.map((item, i) => (
              <li
                key={item.path}
                id={`${inputProps.id}-option-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'is-active' : undefined}
                // Keep the focus (and caret) in the field while choosing with the mouse.
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(i);
                }}
                data-testid={`complete-${item.path}`}
              >
                <span className="ptree-key">{item.key}</span>
                <span className="ptree-value">{item.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {!readOnly && (
        <div className="data-field-foot">
          <FieldPicker name={name} sample={sample} onPick={insert} />
        </div>
      )}
      {preview && (
        <div className={preview.state === 'error' ? 'field-preview is-error' : 'field-preview'} data-testid={`preview-${name}`}>
          <span className="field-preview-label">{PREVIEW_LABEL[sample.triggerSource]}</span>
          <code className="field-preview-value">
            {preview.state === 'pending' ? '…' : preview.state === 'error' ? preview.message : previewText(preview.value)}
          </code>
        </div>
      )}
      {warnings.map((w, i) => (
        <span key={i} className="field-warning" role="status" data-testid={`field-warning-${name}`}>
          {w.message}
        </span>
      ))}
    </div>
  );
}

function previewText(value: unknown): string {
  if (value === undefined || value === null) return '(nothing)';
  const s = stringifyValue(value);
  return s === '' ? '(empty)' : s;
}
