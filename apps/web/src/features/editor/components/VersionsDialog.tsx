import { useState } from 'react';
import { diffFlows, type FlowDocument } from '@handoff/nodes';
import type { FlowVersion } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useFlow, useFlowVersion, useFlowVersions } from '../../flows/hooks/useFlow';
import { useReplaceDraftInEditor } from '../hooks/useReplaceDraft';
import { describeDiff } from '../lib/versionDiff';
import { definitionOf } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';

/** Published versions, newest first: who published each, what the draft changed since, and restoring one into the draft. */
export function VersionsDialog({ flowId, open, onClose }: { flowId: string; open: boolean; onClose: () => void }) {
  const versions = useFlowVersions(flowId, open);
  const live = useFlow(flowId).data?.publishedVersion ?? null;
  const readOnly = useEditor((s) => s.readOnly);
  const [comparing, setComparing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const restore = useReplaceDraftInEditor(flowId);
  const items = [...(versions.data?.items ?? [])].sort((a, b) => b.version - a.version);

  const close = () => {
    setComparing(null);
    setConfirming(null);
    restore.reset();
    onClose();
  };

  return (
    <Dialog open={open} title="Published versions" onClose={close} testId="versions-dialog">
      {versions.isPending && <Spinner />}
      {versions.isError && <ErrorBanner error={versions.error} onRetry={() => versions.refetch()} />}
      {versions.isSuccess && items.length === 0 && <p className="muted">Not published yet. Publishing makes the draft live as version 1.</p>}
      {items.length > 0 && (
        <ol className="versions" data-testid="versions-list">
          {items.map((v) => (
            <li key={v.version} data-testid={`version-${v.version}`}>
              <div className="versions-head">
                <strong>
                  Version {v.version}
                  {v.version === live && <span className="tag tag-live"> live</span>}
                </strong>
                <span className="muted small" data-testid={`version-by-${v.version}`}>
                  {formatDateTime(v.publishedAt)} · {publisher(v)}
                </span>
              </div>
              {v.note ? <p>{v.note}</p> : <p className="muted small">No note</p>}
              <div className="versions-actions">
                <button type="button" className="btn btn-small btn-ghost" aria-expanded={comparing === v.version} onClick={() => setComparing(comparing === v.version ? null : v.version)} data-testid={`version-compare-${v.version}`}>
                  {comparing === v.version ? 'Hide changes' : 'Compare with draft'}
                </button>
                {!readOnly && confirming !== v.version && (
                  <button type="button" className="btn btn-small" onClick={() => setConfirming(v.version)} data-testid={`version-restore-${v.version}`}>
                    Restore
                  </button>
                )}
              </div>
              {confirming === v.version && (
                <div className="versions-confirm" data-testid={`version-restore-confirm-${v.version}`}>
                  <p className="small">Replace the draft with version {v.version}? Unsaved and unpublished changes are lost; nothing goes live until you publish.</p>
                  {restore.error ? <ErrorBanner title="Could not restore." error={restore.error} /> : null}
                  <button
                    type="button"
                    className="btn btn-primary btn-small"
                    disabled={restore.isPending}
                    onClick={() =>
                      restore.run(v.version, () => {
                        toast(`Version ${v.version} restored into the draft`);
                        close();
                      })
                    }
                    data-testid={`version-restore-yes-${v.version}`}
                  >
                    {restore.isPending ? 'Restoring…' : `Restore version ${v.version}`}
                  </button>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              )}
              {comparing === v.version && <VersionDiff flowId={flowId} version={v.version} />}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}

const publisher = (v: FlowVersion) => (v.publishedByEmail ? `by ${v.publishedByEmail}` : v.publishedBy ? 'by a deleted user' : 'publisher unknown');

/** What the draft on the canvas (saved or not) changed since this version. */
function VersionDiff({ flowId, version }: { flowId: string; version: number }) {
  const doc = useFlowVersion(flowId, version);
  // Re-render when the canvas changes while the comparison is open.
  useEditor((s) => s.nodes);
  if (doc.isPending) return <Spinner label="Comparing…" />;
  if (doc.isError) return <ErrorBanner error={doc.error} onRetry={() => doc.refetch()} />;
  const lines = describeDiff(diffFlows(doc.data.document, editorStore.getState().toDocument() as FlowDocument), (type) => definitionOf(type)?.label ?? type);
  if (!lines.length) return <p className="muted small" data-testid={`version-diff-${version}`}>The draft is the same as this version.</p>;
  return (
    <div data-testid={`version-diff-${version}`}>
      <p className="small muted">Since version {version}, the draft has:</p>
      <ul className="version-diff">
        {lines.map((l, i) => (
          <li key={i} className={`diff-${l.kind}`}>
            {l.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
