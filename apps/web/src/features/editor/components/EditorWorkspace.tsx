import { useReactFlow } from '@xyflow/react';
import { useCanvasView } from '../hooks/useCanvasView';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../../../api/client';
import type { Flow } from '../../../api/types';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { toast } from '../../../lib/toast';
import { downloadFlowExport, useFlowStatusToggle, usePublishFlow } from '../../flows/hooks/useFlow';
import { useRun } from '../../runs/hooks/useRun';
import { useRunListStream } from '../../runs/hooks/useRunStream';
import { overlayFromSteps } from '../../runs/lib/runState';
import { useEditorShortcuts } from '../hooks/useEditorShortcuts';
import { useRunData } from '../hooks/useRunData';
import { useSaveDraft } from '../hooks/useSaveDraft';
import { useTestRun } from '../hooks/useTestRun';
import { useUnsavedChangesGuard } from '../hooks/useUnsavedChangesGuard';
import { testRunSetupOf, type TestRunBody } from '../lib/testRunSetup';
import { definitionOf } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';
import { EditorToolbar } from './EditorToolbar';
import { FlowCanvas } from './FlowCanvas';
import { LeaveDialog } from './LeaveDialog';
import { Palette } from './Palette';
import { PublishDialog } from './PublishDialog';
import { RunWatchBanner } from './RunWatchBanner';
import { SidePanel } from './SidePanel';
import { TestRunDialog } from './TestRunDialog';
import { VersionsDialog } from './VersionsDialog';

export function EditorWorkspace({ flow }: { flow: Flow }) {
  const flowId = flow.id;
  const readOnly = useEditor((s) => s.readOnly);
  const panels = useEditor((s) => s.panels);
  const dirty = useEditor((s) => s.dirty);
  const trigger = useEditor((s) => s.nodes.find((n) => definitionOf(n.data.nodeType)?.kind === 'trigger'));
  const { save: saveDraft, saving } = useSaveDraft(flowId);
  const publish = usePublishFlow(flowId);
  const toggle = useFlowStatusToggle(flowId);
  const testRun = useTestRun(flowId);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'publish' | 'versions' | 'test' | null>(null);
  const [params, setParams] = useSearchParams();
  const watchRunId = params.get('run');
  const run = useRun(watchRunId, { ownStream: false });
  const [follow, setFollow] = useState(false);
  const watch = useCallback((runId: string) => {
    editorStore.getState().select(null);
    setParams({ run: runId }, { replace: true });
  }, [setParams]);
  // Every run of this flow, webhook and Stripe deliveries included: the recent-runs list stays
  // current, and with "Follow" each new run is drawn on the canvas as it starts.
  useRunListStream(flowId, {
    watching: watchRunId,
    onStarted: (runId) => {
      if (follow) watch(runId);
    },
  });
  const { screenToFlowPosition } = useReactFlow();
  const { reveal } = useCanvasView();

  const save = useCallback(async (): Promise<boolean> => {
    if (editorStore.getState().readOnly) return false;
    try {
      await saveDraft();
      setSaveError(null);
      return true;
    } catch (err) {
      setSaveError(err);
      return false;
    }
  }, [saveDraft]);

  const saveWithToast = useCallback(async () => {
    const wasDirty = editorStore.getState().dirty;
    if (await save()) toast(wasDirty ? 'Draft saved' : 'Nothing new to save', wasDirty ? 'success' : 'info');
  }, [save]);

  useEditorShortcuts(saveWithToast);
  useRunData(flowId, watchRunId ? run.data?.status : undefined);
  const blocker = useUnsavedChangesGuard(dirty);

  // Colour the canvas with the watched run's step statuses.
  useEffect(() => {
    editorStore.getState().setOverlay(watchRunId && run.data ? overlayFromSteps(run.data.steps) : watchRunId ? {} : null);
  }, [watchRunId, run.data]);
  useEffect(() => () => editorStore.getState().setOverlay(null), []);

  // A palette click: after the selected step, else in the middle of the view; either way where nothing is.
  const addByClick = useCallback(
    (type: string) => {
      const rect = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      if (!rect) return;
      const p = screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
      const id = editorStore.getState().addNodeByClick(type, { x: p.x - 112, y: p.y - 42 });
      const added = editorStore.getState().nodes.find((n) => n.id === id);
      if (added) reveal(added.position);
    },
    [screenToFlowPosition, reveal],
  );

  const onPublish = async (note: string) => {
    if (!(await save())) {
      setDialog(null);
      return;
    }
    publish.mutate(note, {
      onSuccess: ({ version }) => {
        setDialog(null);
        toast(`Published version ${version}`);
      },
    });
  };

  const onTest = async (body: TestRunBody) => {
    if (!(await save())) {
      setDialog(null);
      return;
    }
    testRun.mutate(body, {
      onSuccess: ({ runId }) => {
        setDialog(null);
        editorStore.getState().select(null);
        setParams({ run: runId }, { replace: true });
      },
    });
  };

  const onExport = () =>
    downloadFlowExport(flowId, flow.name).catch((err: unknown) => toast(`Export failed: ${errorMessage(err)}`, 'error'));

  const onToggleActive = () =>
    toggle.mutate(flow.status === 'paused' ? 'resume' : 'pause', {
      onSuccess: (f) => toast(f.status === 'paused' ? 'Flow paused: events are stored and run when you resume' : 'Flow resumed'),
      onError: (err) => toast(errorMessage(err), 'error'),
    });

  return (
    <div className="editor" data-testid="editor">
      <EditorToolbar
        flow={flow}
        saving={saving}
        onSave={saveWithToast}
        onPublish={() => {
          publish.reset();
          setDialog('publish');
        }}
        onTest={() => {
          testRun.reset();
          setDialog('test');
        }}
        onVersions={() => setDialog('versions')}
        onExport={onExport}
        onToggleActive={onToggleActive}
      />
      {saveError ? (
        <div className="editor-alert">
          <ErrorBanner title="Not saved." error={saveError} />
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setSaveError(null)}>
            ×
          </button>
        </div>
      ) : null}
      {watchRunId && <RunWatchBanner runId={watchRunId} run={run.data} onClose={() => setParams({}, { replace: true })} />}
      <div className={`editor-body${panels.palette ? '' : ' palette-closed'}${panels.side ? '' : ' side-closed'}`}>
        <Palette onAdd={addByClick} disabled={readOnly} />
        <FlowCanvas readOnly={readOnly} emptyHint="Drag “Stripe payment” from the steps on the left onto the canvas, or click it; then add the steps that follow with the + on its output." />
        <SidePanel
          flowId={flowId}
          savedHook={{ webhookPath: flow.webhookPath, webhookUrl: flow.webhookUrl, live: flow.publishedVersion === null ? 'unpublished' : flow.status === 'paused' ? 'paused' : 'active' }}
          run={watchRunId ? run.data : undefined}
          runError={watchRunId && run.isError ? run.error : undefined}
          recent={{ watching: watchRunId, onWatch: watch, follow, onFollow: setFollow }}
        />
      </div>
      <PublishDialog
        open={dialog === 'publish'}
        busy={publish.isPending || saving}
        error={publish.error}
        dirty={dirty}
        nextVersion={(flow.publishedVersion ?? 0) + 1}
        onPublish={onPublish}
        onClose={() => setDialog(null)}
      />
      <VersionsDialog flowId={flowId} open={dialog === 'versions'} onClose={() => setDialog(null)} />
      {dialog === 'test' && (
        <TestRunDialog
          open
          setup={trigger ? testRunSetupOf(definitionOf(trigger.data.nodeType), trigger.data.config) : null}
          busy={testRun.isPending || saving}
          error={testRun.error}
          dirty={dirty}
          onRun={onTest}
          onClose={() => setDialog(null)}
        />
      )}
      <LeaveDialog
        blocker={blocker}
        saving={saving}
        onSaveAndLeave={async () => {
          if (await save()) blocker.proceed?.();
          else blocker.reset?.();
        }}
      />
    </div>
  );
}
