import { Link } from 'react-router';
import { Badge } from '../../../components/Badge';
import { useCanvasView } from '../hooks/useCanvasView';
import type { Flow } from '../../../api/types';
import { editorStore, useEditor } from '../store/useEditorStore';
import { DraftStatus } from './DraftStatus';
import { MoreMenu } from './MoreMenu';

interface Props {
  flow: Flow;
  saving: boolean;
  onSave: () => void;
  onPublish: () => void;
  onTest: () => void;
  onVersions: () => void;
  onExport: () => void;
  onToggleActive: () => void;
}

export function EditorToolbar({ flow, saving, onSave, onPublish, onTest, onVersions, onExport, onToggleActive }: Props) {
  const name = useEditor((s) => s.name);
  const dirty = useEditor((s) => s.dirty);
  const readOnly = useEditor((s) => s.readOnly);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const problemCount = useEditor((s) => s.problems.length);
  const hasNodes = useEditor((s) => s.nodes.length > 0);
  // A second publish of the same draft would only add an identical version to the history.
  const isLive = !dirty && !saving && flow.publishedVersion !== null && !flow.draftDiffers;
  const s = editorStore.getState;
  const { fit } = useCanvasView();
  const tidyUp = () => {
    s().autoLayout();
    fit(300);
  };

  return (
    <div className="toolbar" data-testid="editor-toolbar">
      <Link to="/flows" className="toolbar-back" aria-label="Back to flows">
        ←
      </Link>
      <input
        className="toolbar-name"
        aria-label="Flow name"
        value={name}
        readOnly={readOnly}
        onChange={(e) => s().rename(e.target.value)}
        data-testid="flow-name"
      />
      <Badge status={flow.status} testId="flow-status" />
      {flow.publishedVersion ? <span className="muted small">v{flow.publishedVersion} live</span> : null}
      <DraftStatus flow={flow} saving={saving} />
      <div className="toolbar-spacer" />
      {!readOnly && (
        <div className="btn-group">
          <button type="button" className="icon-btn" title="Undo (Ctrl+Z)" aria-label="Undo" disabled={!canUndo} onClick={() => s().undo()} data-testid="undo">
            ↶
          </button>
          <button type="button" className="icon-btn" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" disabled={!canRedo} onClick={() => s().redo()} data-testid="redo">
            ↷
          </button>
          <button type="button" className="btn btn-ghost btn-small" title="Arrange steps left to right" disabled={!hasNodes} onClick={tidyUp} data-testid="auto-layout">
            Tidy up
          </button>
        </div>
      )}
      {!readOnly && (
        <button type="button" className="btn btn-small" onClick={onTest} disabled={!hasNodes} data-testid="test-run">
          Test run
        </button>
      )}
      <MoreMenu
        items={[
          { label: 'Version history', onSelect: onVersions, testId: 'versions' },
          { label: 'Export JSON', onSelect: onExport, testId: 'export' },
          ...(flow.publishedVersion && !readOnly
            ? [{ label: flow.status === 'paused' ? 'Resume flow' : 'Pause flow', onSelect: onToggleActive, testId: flow.status === 'paused' ? 'resume' : 'pause' }]
            : []),
        ]}
      />
      {!readOnly && (
        <>
          <button type="button" className="btn btn-small" onClick={onSave} disabled={saving || !dirty} title="Save draft (Ctrl+S)" data-testid="save">
            Save draft
          </button>
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={onPublish}
            disabled={problemCount > 0 || isLive}
            title={
              problemCount > 0
                ? `Fix ${problemCount} problem${problemCount > 1 ? 's' : ''} first`
                : isLive
                  ? `The draft is live version ${flow.publishedVersion}: change something to publish again`
                  : 'Make this draft the live version'
            }
            data-testid="publish"
          >
            Publish
          </button>
        </>
      )}
    </div>
  );
}
