import { childKeys, joinPath, splitPath, valueAtPath } from '@handoff/nodes';
import { useState } from 'react';
import { shortValue } from '../../../lib/fieldInsert';

interface Props {
  /** The data the paths are read from (the node's sample scope). */
  scope: unknown;
  path: string;
  /** Shown instead of the path's last key (e.g. a step's label). */
  label?: string;
  /** Said before the value's summary (e.g. that a step's data is an example). */
  note?: string;
  onPick: (path: string) => void;
  depth?: number;
  open?: boolean;
}

const MAX_CHILDREN = 200;

/** One path of the sample and, once expanded, the keys under it. A click on the name inserts the path. */
export function PathTree({ scope, path, label, note, onPick, depth = 0, open: initiallyOpen = false }: Props) {
  const [open, setOpen] = useState(initiallyOpen);
  const value = valueAtPath(scope, path);
  const keys = value !== null && typeof value === 'object' ? childKeys(scope, path) : [];
  const key = splitPath(path).at(-1) ?? path;
  return (
    <li className="ptree-item" role="treeitem" aria-expanded={keys.length ? open : undefined}>
      <div className="ptree-row" style={{ paddingLeft: depth * 14 }}>
        {keys.length ? (
          <button type="button" className="ptree-toggle" aria-label={open ? `Collapse ${path}` : `Expand ${path}`} onClick={() => setOpen(!open)} data-testid={`expand-${path}`}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="ptree-toggle" aria-hidden />
        )}
        <button type="button" className="ptree-pick" title={`Insert ${path}`} onClick={() => onPick(path)} data-testid={`pick-${path}`}>
          <span className="ptree-key">{label ?? key}</span>
          <span className="ptree-value">{note ? `${note} · ${shortValue(value)}` : shortValue(value)}</span>
        </button>
      </div>
      {open && keys.length > 0 && (
        <ul role="group" className="ptree">
          {keys.slice(0, MAX_CHILDREN).map((k) => (
            <PathTree key={k} scope={scope} path={joinPath([...splitPath(path), k])} onPick={onPick} depth={depth + 1} />
          ))}
          {keys.length > MAX_CHILDREN && <li className="ptree-more muted small">{keys.length - MAX_CHILDREN} more keys not shown</li>}
        </ul>
      )}
    </li>
  );
}
