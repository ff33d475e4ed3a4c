import { useState, type ReactNode } from 'react';
import { DEAL_DRAG_TYPE, isDealDrag } from '../lib/dragDeal';

interface Props {
  stage: { key: string; label: string };
  count: number;
  /** A deal card dropped here; the page decides whether that is a move. */
  onDropDeal?: (dealId: string, stage: string) => void;
  children: ReactNode;
}

/** One stage of the board, and a drop target for deal cards while the user may move them. */
export function BoardColumn({ stage, count, onDropDeal, children }: Props) {
  const [over, setOver] = useState(false);
  const accepts = (types: DOMStringList | readonly string[]) => !!onDropDeal && isDealDrag(types);
  return (
    <section
      className={over ? 'board-col is-over' : 'board-col'}
      data-testid={`board-col-${stage.key}`}
      aria-label={stage.label}
      onDragEnter={(e) => {
        if (!accepts(e.dataTransfer.types)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!accepts(e.dataTransfer.types)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        if (!over) setOver(true);
      }}
      onDragLeave={(e) => {
        // Leaving for one of the column's own cards is still being over the column.
        if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
        setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        const id = e.dataTransfer.getData(DEAL_DRAG_TYPE);
        if (!id || !onDropDeal) return;
        e.preventDefault();
        onDropDeal(id, stage.key);
      }}
    >
      <header className="board-col-head">
        <h2>{stage.label}</h2>
        <span className="count">{count}</span>
      </header>
      <div className="board-cards">{children}</div>
    </section>
  );
}
