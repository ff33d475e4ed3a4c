import type { Run } from '../../../api/types';
import { formatDuration } from '../../../lib/format';
import { nodeLabel } from '../../editor/lib/nodeLabel';
import { useEditor } from '../../editor/store/useEditorStore';

interface Props {
  run: Run;
  selected: string | null;
  onSelect: (nodeId: string) => void;
}

/** Steps in the order they ran, every attempt listed. */
export function StepTimeline({ run, selected, onSelect }: Props) {
  const nodes = useEditor((s) => s.nodes);
  // The names people gave the steps on the canvas, as the canvas shows them.
  const labelOf = (id: string) => {
    const node = nodes.find((n) => n.id === id);
    return node ? nodeLabel(node) : id;
  };
  if (!run.steps.length) return <p className="muted small timeline-empty">No step has run yet.</p>;
  return (
    <ol className="timeline" data-testid="step-timeline">
      {run.steps.map((s, i) => {
        return (
          <li key={`${s.nodeId}-${s.attempt}-${i}`}>
            <button
              type="button"
              className={selected === s.nodeId ? 'timeline-item is-on' : 'timeline-item'}
              onClick={() => onSelect(s.nodeId)}
              data-testid={`timeline-${s.nodeId}`}
            >
              <span className={`step-dot step-dot-${s.status}`} aria-hidden="true" />
              <span className="timeline-text">
                <span className="timeline-label">{labelOf(s.nodeId)}</span>
                <span className="muted small">
                  <code>{s.nodeId}</code>
                  {s.port ? ` → ${s.port}` : ''}
                  {s.attempt > 1 ? ` · attempt ${s.attempt}` : ''}
                </span>
              </span>
              <span className="muted small">{s.finishedAt ? formatDuration(s.startedAt, s.finishedAt) : s.status}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
