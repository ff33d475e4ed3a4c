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
          <li>Click + on a step’s output to add the next step there, connected; or drag from the dot to another step.</li>
          <li>With a step selected, clicking a step in the palette adds it after that one.</li>
          <li>Select a step to configure it. Delete removes the selection, or the step or connection Tab has focused.</li>
          <li>Ctrl+S saves the draft; Ctrl+Z undoes.</li>
        </ul>
      </div>
    </div>
  );
}
