import type { Run } from '../../../api/types';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { StepDetails } from '../../runs/components/StepDetails';
import { latestSteps } from '../../runs/lib/runState';
import type { SavedHook } from '../lib/webhookUrl';
import { definitionOf } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';
import { ConfigPanel } from './ConfigPanel';
import { FlowOverviewPanel } from './FlowOverviewPanel';
import { RecentRuns } from './RecentRuns';

interface Props {
  flowId: string;
  /** The saved draft's trigger route, as the API describes it. */
  savedHook: SavedHook;
  /** When a run is shown on the canvas, the panel shows the selected step's run details. */
  run?: Run;
  runError?: unknown;
  /** The flow's recent runs: which one is drawn, and whether new ones are followed. */
  recent: { watching: string | null; onWatch: (runId: string) => void; follow: boolean; onFollow: (on: boolean) => void };
}

export function SidePanel({ flowId, savedHook, run, runError, recent }: Props) {
  const selectedId = useEditor((s) => {
    const sel = s.nodes.filter((n) => n.selected);
    return sel.length === 1 ? sel[0].id : null;
  });
  const selectedType = useEditor((s) => (selectedId ? s.nodes.find((n) => n.id === selectedId)?.data.nodeType : undefined));
  const watching = useEditor((s) => s.overlay !== null);
  const open = useEditor((s) => s.panels.side);
  const toggle = () => editorStore.getState().togglePanel('side');

  if (!open) {
    return (
      <aside className="side-panel is-collapsed" aria-label="Details" data-testid="side-panel">
        <button type="button" className="panel-rail-btn" onClick={toggle} aria-expanded={false} aria-label="Show details" title="Show details" data-testid="side-panel-toggle">
          <span aria-hidden="true">«</span>
          <span className="panel-rail-label">{selectedId ? `Details: ${selectedId}` : 'Details'}</span>
        </button>
      </aside>
    );
  }

  let body;
  if (watching) {
    if (runError) body = <ErrorBanner title="Could not load the run." error={runError} />;
    else if (selectedId) {
      const steps = run?.steps.filter((s) => s.nodeId === selectedId) ?? [];
      body = (
        <StepDetails
          nodeId={selectedId}
          label={selectedType ? definitionOf(selectedType)?.label : undefined}
          step={latestSteps(steps)[selectedId]}
          attempts={steps.length}
        />
      );
    } else {
      body = (
        <div className="panel-section">
          <header className="panel-head">
            <div className="panel-head-text">
              <h2>Run</h2>
            </div>
          </header>
          <p className="muted">Steps light up as the run moves: blue running, green done, amber waiting, red failed. Select a step for its details.</p>
          <RecentRuns flowId={flowId} {...recent} />
        </div>
      );
    }
  } else if (selectedId) {
    body = <ConfigPanel nodeId={selectedId} flowId={flowId} savedHook={savedHook} />;
  } else {
    body = (
      <>
        <FlowOverviewPanel />
        <div className="panel-section">
          <RecentRuns flowId={flowId} {...recent} />
        </div>
      </>
    );
  }

  return (
    <aside className="side-panel" aria-label="Details" data-testid="side-panel">
      <div className="side-panel-bar">
        <button type="button" className="icon-btn panel-collapse" onClick={toggle} aria-expanded aria-label="Hide details" title="Hide details" data-testid="side-panel-toggle">
          »
        </button>
        <span>{watching ? 'Run details' : selectedId ? 'Step settings' : 'Flow'}</span>
      </div>
      {body}
    </aside>
  );
}
