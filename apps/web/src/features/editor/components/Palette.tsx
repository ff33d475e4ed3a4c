import { useMemo, useState } from 'react';
import { paletteSections } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';
import { PaletteItem } from './PaletteItem';

interface Props {
  /** Adds the type at the centre of the visible canvas (click or Enter on an item). */
  onAdd: (type: string) => void;
  disabled?: boolean;
}

export function Palette({ onAdd, disabled }: Props) {
  const groups = useMemo(() => paletteSections(), []);
  const open = useEditor((s) => s.panels.palette);
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = groups
    .map((g) => ({ ...g, types: g.types.filter((t) => !q || `${t.label} ${t.description} ${t.type}`.toLowerCase().includes(q)) }))
    .filter((g) => g.types.length);

  const toggle = () => editorStore.getState().togglePanel('palette');

  if (!open) {
    return (
      <aside className="palette is-collapsed" aria-label="Steps" data-testid="palette">
        <button type="button" className="panel-rail-btn" onClick={toggle} aria-expanded={false} aria-label="Show steps" title="Show steps" data-testid="palette-toggle">
          <span aria-hidden="true">»</span>
          <span className="panel-rail-label">Steps</span>
        </button>
      </aside>
    );
  }

  return (
    <aside className="palette" aria-label="Steps" data-testid="palette">
      <div className="palette-search">
        <button type="button" className="icon-btn panel-collapse" onClick={toggle} aria-expanded aria-label="Hide steps" title="Hide steps" data-testid="palette-toggle">
          «
        </button>
        <input type="search" placeholder="Search steps" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search steps" />
      </div>
      <div className="palette-groups">
        {shown.map((g) => (
          <section key={g.id} className="palette-group" data-testid={`palette-group-${g.id}`}>
            <h3>{g.label}</h3>
            {g.types.map((def) => (
              <PaletteItem key={def.type} def={def} onAdd={onAdd} disabled={disabled} />
            ))}
          </section>
        ))}
        {shown.length === 0 && <p className="muted small palette-none">No step matches “{query}”.</p>}
      </div>
      {!disabled && <p className="palette-hint">Drag a step onto the canvas, or click to add it.</p>}
    </aside>
  );
}
