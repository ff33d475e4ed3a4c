import type { NodeDefinition } from '@handoff/nodes';
import { KindIcon } from './KindIcon';

export const DRAG_MIME = 'application/x-handoff-node';

interface Props {
  def: NodeDefinition;
  onAdd: (type: string) => void;
  disabled?: boolean;
}

export function PaletteItem({ def, onAdd, disabled }: Props) {
  return (
    <button
      type="button"
      className={`palette-item kind-${def.kind}`}
      draggable={!disabled}
      disabled={disabled}
      title={def.description}
      data-testid={`palette-${def.type}`}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_MIME, def.type);
        e.dataTransfer.setData('text/plain', def.type);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => onAdd(def.type)}
    >
      <KindIcon kind={def.kind} />
      <span className="palette-item-text">
        <span className="palette-item-label">{def.label}</span>
        <span className="palette-item-desc">{def.description}</span>
      </span>
    </button>
  );
}
