import { useEditor } from '../store/useEditorStore';
import { ProblemsList } from './ProblemsList';

/** Shown when no step is selected: what's wrong with the flow, and how to go on. */
export function FlowOverviewPanel() {
  const problems = useEditor((s) => s.problems);
  const count = useEditor((s) => s.nodes.length);
  return (
    <div className="panel-section" data-testid="overview-panel">
      <header className="panel-head">
        <div className="panel-head-text">
          <h2>Checks</h2>
          <span className="muted small">{problems.length ? `${problems.length} to fix before publishing` : 'Ready'}</span>
        </div>
      </header>
      <ProblemsList problems={problems} />
      <div className="tips">
        <h3>Tips</h3>
        <ul>
          {count === 0 && <li>Every flow starts with one trigger, such as a Stripe payment.</li>}
          <li>Drag from a step’s right-hand dot to another step to connect them.</li>
          <li>Select a step to configure it. Delete removes the selection.</li>
          <li>Ctrl+S saves the draft; Ctrl+Z undoes.</li>
        </ul>
      </div>
    </div>
  );
}
