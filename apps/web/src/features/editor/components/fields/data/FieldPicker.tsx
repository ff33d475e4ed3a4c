import { useEffect, useMemo, useRef, useState } from 'react';
import type { DataSource, SampleScope } from '../../../lib/dataScope';
import { shortValue } from '../../../lib/fieldInsert';
import { childKeys, joinPath, splitPath, valueAtPath } from '@handoff/nodes';
import { PathTree } from './PathTree';

interface Props {
  /** For test ids: `field-picker-<name>`. */
  name: string;
  sample: SampleScope;
  onPick: (path: string) => void;
}

const SOURCE_LABEL: Record<DataSource, string> = {
  run: 'from the last run',
  'test run': 'from the last test run',
  sample: 'sample data',
  none: 'no data yet',
};

/** Every path under `root` down to `depth` levels, for the picker's search. */
function allPaths(scope: unknown, root: string, depth: number): string[] {
  const out: string[] = [];
  const walk = (path: string, left: number) => {
    out.push(path);
    if (left === 0 || out.length > 2000) return;
    for (const k of childKeys(scope, path)) walk(joinPath([...splitPath(path), k]), left - 1);
  };
  walk(root, depth);
  return out;
}

/**
 * "Insert data": a tree of what this step can read — the trigger, earlier steps, the run —
 * from the flow's last run or the trigger's sample. Picking a path inserts it at the caret.
 */
export function FieldPicker({ name, sample, onPick }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const pop = useRef<HTMLDivElement>(null);
  const { scope, triggerSource } = sample;
  // The trigger's step output is `trigger`, shown in its own section.
  const upstream = sample.upstream.filter((u) => !u.trigger);

  useEffect(() => {
    if (!open) return;
    // The side panel scrolls: bring the whole tree into view under a field near its bottom.
    pop.current?.scrollIntoView({ block: 'nearest' });
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const found = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const roots = ['trigger', ...upstream.filter((u) => u.source !== 'none').map((u) => joinPath(['steps', u.id])), 'run', 'flow'];
    return roots.flatMap((r) => allPaths(scope, r, 8)).filter((p) => p.toLowerCase().includes(q)).slice(0, 50);
  }, [query, scope, upstream]);

  const pick = (path: string) => {
    onPick(path);
    setOpen(false);
    setQuery('');
  };

  return (
    <div className="picker" ref={box}>
      <button type="button" className="picker-btn" aria-expanded={open} aria-haspopup="tree" onClick={() => setOpen(!open)} data-testid={`field-picker-${name}`}>
        {'{ }'} Insert data
      </button>
      {open && (
        <div className="picker-pop" ref={pop} role="dialog" aria-label="Insert data" data-testid="field-picker-panel">
          <input className="picker-search" placeholder="Search fields" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus data-testid="field-picker-search" />
          {query.trim() ? (
            <ul className="ptree" role="tree">
              {found.length === 0 && <li className="muted small">Nothing in the sample matches.</li>}
              {found.map((p) => (
                <li key={p} className="ptree-item">
                  <button type="button" className="ptree-pick" onClick={() => pick(p)} data-testid={`pick-${p}`}>
                    <span className="ptree-key">{p}</span>
                    <span className="ptree-value">{shortValue(valueAtPath(scope, p))}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <>
              <div className="picker-section">
                <span className="picker-title">Trigger</span>
                <span className="picker-source" data-testid="field-picker-source">{SOURCE_LABEL[triggerSource]}</span>
              </div>
              {triggerSource === 'none' ? (
                <p className="muted small">No sample yet: run a test to see the trigger’s data.</p>
              ) : (
                <ul className="ptree" role="tree">
                  <PathTree scope={scope} path="trigger" onPick={pick} open />
                </ul>
              )}
              <div className="picker-section">
                <span className="picker-title">Earlier steps</span>
              </div>
              {upstream.length === 0 && <p className="muted small">No step runs before this one.</p>}
              <ul className="ptree" role="tree">
                {upstream.map((u) =>
                  u.source === 'none' ? (
                    <li key={u.id} className="ptree-item">
                      <button type="button" className="ptree-pick" onClick={() => pick(joinPath(['steps', u.id]))} data-testid={`pick-${joinPath(['steps', u.id])}`}>
                        <span className="ptree-key">{u.label}</span>
                        <span className="ptree-value">no output yet: run a test</span>
                      </button>
                    </li>
                  ) : (
                    <PathTree
                      key={u.id}
                      scope={scope}
                      path={joinPath(['steps', u.id])}
                      label={`${u.label} (${u.id})`}
                      note={u.source === 'sample' ? 'example' : undefined}
                      onPick={pick}
                    />
                  ),
                )}
              </ul>
              <div className="picker-section">
                <span className="picker-title">This run</span>
              </div>
              <ul className="ptree" role="tree">
                <PathTree scope={scope} path="run" onPick={pick} />
                <PathTree scope={scope} path="flow" onPick={pick} />
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
