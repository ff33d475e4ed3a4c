import { Link } from 'react-router';
import { Badge } from '../../../components/Badge';
import type { Run } from '../../../api/types';
import { isTerminal } from '../../runs/lib/runState';
import { useEditor } from '../store/useEditorStore';

interface Props {
  runId: string;
  run: Run | undefined;
  onClose: () => void;
}

/** Shown above the canvas while a run (a test, or a real delivery) is drawn on it. */
export function RunWatchBanner({ runId, run, onClose }: Props) {
  const status = run?.status ?? 'queued';
  const nodes = useEditor((s) => s.nodes);
  // The canvas shows the draft; a run of an older version may have steps the draft no longer has.
  const undrawn = run ? [...new Set(run.steps.map((s) => s.nodeId))].filter((id) => !nodes.some((n) => n.id === id)) : [];
  return (
    <div className="run-banner" data-testid="run-banner" data-status={status}>
      {!isTerminal(status) && <span className="pulse" aria-hidden="true" />}
      <span>
        {!run ? 'Run' : run.test || !run.version ? 'Test run' : `Run of version ${run.version}`} <code>{runId.slice(0, 8)}</code>
      </span>
      <Badge status={status} testId="run-banner-status" />
      {undrawn.length > 0 ? (
        <span className="small" data-testid="run-banner-undrawn">
          Steps {undrawn.join(', ')} are not in the draft: open the run to see it as it ran.
        </span>
      ) : (
        <span className="muted small">Click a step to see what it received and produced.</span>
      )}
      <div className="toolbar-spacer" />
      <Link to={`/runs/${runId}`} className="btn btn-ghost btn-small">
        Open run
      </Link>
      <button type="button" className="btn btn-small" onClick={onClose} data-testid="run-banner-close">
        Back to editing
      </button>
    </div>
  );
}
