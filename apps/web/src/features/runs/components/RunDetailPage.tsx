import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../../api/client';
import { Badge } from '../../../components/Badge';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { JsonView } from '../../../components/JsonView';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { FlowCanvas } from '../../editor/components/FlowCanvas';
import { definitionOf } from '../../editor/registry';
import { editorStore, useEditor } from '../../editor/store/useEditorStore';
import { useRun, useRunAction } from '../hooks/useRun';
import { useRunDocument } from '../hooks/useRunDocument';
import { RETRY_HELP, RETRY_LATEST_HELP } from '../lib/retryHelp';
import { isTerminal, latestSteps, overlayFromSteps } from '../lib/runState';
import { StepDetails } from './StepDetails';
import { StepTimeline } from './StepTimeline';

/** `/runs/:id`: the run drawn on its flow, live, with each step's details. */
export function RunDetailPage() {
  const { id = '' } = useParams();
  const run = useRun(id);
  const doc = useRunDocument(run.data);
  const action = useRunAction(id);
  const me = useMe();
  const selected = useEditor((s) => s.nodes.find((n) => n.selected)?.id ?? null);
  const selectedType = useEditor((s) => s.nodes.find((n) => n.selected)?.data.nodeType);
  const [loadedDoc, setLoadedDoc] = useState<unknown>(null);
  const docReady = !!doc.data && loadedDoc === doc.data;

  useEffect(() => {
    if (!doc.data) return;
    editorStore.getState().load(doc.data.doc, { readOnly: true });
    setLoadedDoc(doc.data);
  }, [doc.data]);
  useEffect(() => {
    if (docReady && run.data) editorStore.getState().setOverlay(overlayFromSteps(run.data.steps));
  }, [docReady, run.data]);
  useEffect(() => () => editorStore.getState().setOverlay(null), []);

  if (run.isPending) return <div className="center-screen"><Spinner label="Loading run…" /></div>;
  if (run.isError) {
    const notFound = run.error instanceof ApiError && run.error.status === 404;
    return (
      <main className="page">
        <ErrorBanner title={notFound ? 'This run does not exist.' : 'Could not load this run.'} error={run.error} onRetry={notFound ? undefined : () => run.refetch()} />
        <p>
          <Link to="/runs">Back to runs</Link>
        </p>
      </main>
    );
  }

  const r = run.data;
  const steps = latestSteps(r.steps);
  const editable = canEdit(me.data);
  const act = (a: 'retry' | 'retry-latest' | 'cancel') =>
    action.mutate(a, {
      onSuccess: () => toast(a === 'retry' ? 'Retrying from the failed step' : a === 'retry-latest' ? 'Retrying on the latest published version' : 'Run cancelled'),
      onError: (err) => toast(errorMessage(err), 'error'),
    });

  return (
    <div className="editor" data-testid="run-detail" data-status={r.status}>
      <div className="toolbar">
        <Link to="/runs" className="toolbar-back" aria-label="Back to runs">
          ←
        </Link>
        <div className="toolbar-title">
          <strong>{doc.data?.flowName ?? 'Run'}</strong>
          <code className="muted small">{r.id}</code>
        </div>
        <Badge status={r.status} testId="run-status" />
        <span className="muted small">
          {r.test || !r.version ? 'Test run' : `Version ${r.version}`} · {r.trigger?.type ?? 'manual'} · started {formatDateTime(r.startedAt)}
          {r.finishedAt ? ` · took ${formatDuration(r.startedAt, r.finishedAt)}` : ''}
        </span>
        <div className="toolbar-spacer" />
        <Link to={`/flows/${r.flowId}`} className="btn btn-ghost btn-small">
          Open flow
        </Link>
        {editable && r.status === 'failed' && (
          <button type="button" className="btn btn-small" disabled={action.isPending} onClick={() => act('retry')} title={RETRY_HELP} data-testid="run-retry">
            Retry
          </button>
        )}
        {editable && r.status === 'failed' && !r.test && (
          <button
            type="button"
            className="btn btn-small"
            disabled={action.isPending}
            onClick={() => act('retry-latest')}
            title={RETRY_LATEST_HELP}
            data-testid="run-retry-latest"
          >
            Retry on latest version
          </button>
        )}
        {editable && !isTerminal(r.status) && (
          <button type="button" className="btn btn-small btn-danger-text" disabled={action.isPending} onClick={() => act('cancel')} data-testid="run-cancel">
            Cancel run
          </button>
        )}
      </div>
      {r.error && r.status === 'failed' && (
        <div className="run-banner run-banner-error" data-testid="run-error">
          <span>{r.error}</span>
          {editable && (
            <span className="run-banner-help small" data-testid="run-retry-help">
              Retry re-runs only the failed step; on the latest version that step must still exist (hover the buttons for what else changes).
            </span>
          )}
        </div>
      )}
      {doc.data?.approximate && (
        <div className="run-banner run-banner-note">Drawn on the flow’s current draft; version {r.version} may differ.</div>
      )}
      <div className="editor-body run-body">
        <aside className="timeline-panel" aria-label="Steps">
          <StepTimeline run={r} selected={selected} onSelect={(nodeId) => editorStore.getState().select(nodeId)} />
        </aside>
        {doc.isError ? (
          <div className="canvas canvas-message">
            <ErrorBanner title="Could not load the flow for this run." error={doc.error} />
          </div>
        ) : docReady ? (
          <ReactFlowProvider>
            <FlowCanvas readOnly />
          </ReactFlowProvider>
        ) : (
          <div className="canvas canvas-message">
            <Spinner />
          </div>
        )}
        <aside className="side-panel" aria-label="Step details">
          {selected ? (
            <StepDetails nodeId={selected} label={selectedType ? definitionOf(selectedType)?.label : undefined} step={steps[selected]} attempts={r.steps.filter((s) => s.nodeId === selected).length} />
          ) : (
            <div className="panel-section">
              <header className="panel-head">
                <div className="panel-head-text">
                  <h2>Trigger</h2>
                  {r.trigger?.eventId && <code className="muted small">{r.trigger.eventId}</code>}
                </div>
              </header>
              <p className="muted">Select a step on the canvas or in the list to see its input, output, error and duration.</p>
              {r.payload !== undefined && (
                <details className="io" open>
                  <summary>Trigger payload</summary>
                  <JsonView value={r.payload} testId="run-payload" />
                </details>
              )}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}
