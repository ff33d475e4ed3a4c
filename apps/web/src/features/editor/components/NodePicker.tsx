import type { NodeDefinition } from '@handoff/nodes';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { paletteSections } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';
import { KindIcon } from './KindIcon';

const WIDTH = 280;

interface Props {
  /** Called with the new step's position after it is added, to pan it into view. */
  onAdded: (position: { x: number; y: number }) => void;
}

/** The small searchable list a port's "+" opens: picking a step adds it after that port, connected. */
export function NodePicker({ onAdded }: Props) {
  const picker = useEditor((s) => s.picker);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [anchor, setAnchor] = useState<{ left: number; top: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  // Triggers start a flow; nothing comes before them.
  const sections = useMemo(() => paletteSections().map((g) => ({ ...g, types: g.types.filter((t) => t.kind !== 'trigger') })).filter((g) => g.types.length), []);
  const q = query.trim().toLowerCase();
  const shown = sections.map((g) => ({ ...g, types: g.types.filter((t) => !q || `${t.label} ${t.description} ${t.type}`.toLowerCase().includes(q)) })).filter((g) => g.types.length);
  const flat: NodeDefinition[] = shown.flatMap((g) => g.types);
  const current = flat[Math.min(active, flat.length - 1)];

  useLayoutEffect(() => {
    setQuery('');
    setActive(0);
    if (!picker) return setAnchor(null);
    const button = document.querySelector(`[data-testid="add-step-${picker.nodeId}-${picker.port}"]`);
    const canvas = document.querySelector('[data-testid="canvas"]');
    if (!button || !canvas) return setAnchor(null);
    const b = button.getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    // Open beside the "+", kept inside the canvas.
    const left = Math.min(b.right - c.left + 8, c.width - WIDTH - 8);
    const top = Math.max(8, Math.min(b.top - c.top - 20, c.height - 360));
    setAnchor({ left: Math.max(8, left), top });
  }, [picker]);

  useEffect(() => {
    if (!picker) return;
    const close = (e: MouseEvent) => {
      const target = e.target as Element;
      // The "+" buttons toggle the picker themselves.
      if (!ref.current?.contains(target) && !target.closest?.('.fnode-add')) editorStore.getState().closePicker();
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [picker]);

  if (!picker || !anchor) return null;

  const choose = (type: string) => {
    const id = editorStore.getState().addNodeAfter(type, picker.nodeId, picker.port);
    const added = editorStore.getState().nodes.find((n) => n.id === id);
    if (!added) return;
    onAdded(added.position);
    // Keyboard work goes on from the new step (Tab to its "+"), not from the top of the page.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(added.id)}"]`)?.focus({ preventScroll: true }));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, Math.min(flat.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && current) {
      e.preventDefault();
      choose(current.type);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      editorStore.getState().closePicker();
      (document.querySelector(`[data-testid="add-step-${picker.nodeId}-${picker.port}"]`) as HTMLElement | null)?.focus();
    }
  };

  return (
    <div
      ref={ref}
      className="node-picker nowheel"
      style={{ left: anchor.left, top: anchor.top, width: WIDTH }}
      role="dialog"
      aria-label={`Add a step after ${picker.nodeId} (${picker.port})`}
      data-testid="node-picker"
      onKeyDown={onKeyDown}
    >
      <input
        type="search"
        autoFocus
        placeholder="Search steps"
        aria-label="Search steps"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        data-testid="node-picker-search"
      />
      <div className="node-picker-list" role="listbox" aria-label="Steps">
        {shown.map((g) => (
          <div key={g.id} role="group" aria-label={g.label}>
            <div className="node-picker-group">{g.label}</div>
            {g.types.map((def) => (
              <button
                key={def.type}
                type="button"
                role="option"
                aria-selected={def === current}
                className={def === current ? 'node-picker-item is-active' : 'node-picker-item'}
                title={def.description}
                onMouseEnter={() => setActive(flat.indexOf(def))}
                onClick={() => choose(def.type)}
                data-testid={`node-picker-${def.type}`}
              >
                <KindIcon kind={def.kind} />
                <span>{def.label}</span>
              </button>
            ))}
          </div>
        ))}
        {flat.length === 0 && <p className="muted small node-picker-none">No step matches “{query}”.</p>}
      </div>
    </div>
  );
}
