import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime } from '../../../lib/format';
import { useFlowVersions } from '../../flows/hooks/useFlow';

export function VersionsDialog({ flowId, open, onClose }: { flowId: string; open: boolean; onClose: () => void }) {
  const versions = useFlowVersions(flowId, open);
  const items = versions.data?.items ?? [];
  return (
    <Dialog open={open} title="Published versions" onClose={onClose} testId="versions-dialog">
      {versions.isPending && <Spinner />}
      {versions.isError && <ErrorBanner error={versions.error} onRetry={() => versions.refetch()} />}
      {versions.isSuccess && items.length === 0 && <p className="muted">Not published yet. Publishing makes the draft live as version 1.</p>}
      {items.length > 0 && (
        <ol className="versions" data-testid="versions-list">
          {[...items]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <li key={v.version} data-testid={`version-${v.version}`}>
                <div className="versions-head">
                  <strong>Version {v.version}</strong>
                  <span className="muted small">
                    {formatDateTime(v.publishedAt)}
                    {v.publishedBy ? ` · ${v.publishedBy}` : ''}
                  </span>
                </div>
                {v.note ? <p>{v.note}</p> : <p className="muted small">No note</p>}
              </li>
            ))}
        </ol>
      )}
    </Dialog>
  );
}
