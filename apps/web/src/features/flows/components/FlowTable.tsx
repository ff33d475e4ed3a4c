import { Link } from 'react-router';
import { Badge } from '../../../components/Badge';
import type { FlowSummary } from '../../../api/types';
import { formatDateTime, formatRelative } from '../../../lib/format';

interface Props {
  flows: FlowSummary[];
  onDelete?: (flow: FlowSummary) => void;
}

export function FlowTable({ flows, onDelete }: Props) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="flows-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Published</th>
            <th>Last edited</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {flows.map((f) => (
            <tr key={f.id} data-testid={`flow-row-${f.id}`}>
              <td>
                <Link to={`/flows/${f.id}`} className="row-title" data-testid="flow-link">
                  {f.name || 'Untitled flow'}
                </Link>
              </td>
              <td>
                <Badge status={f.status} testId="flow-status" />
              </td>
              <td>{f.publishedVersion ? `Version ${f.publishedVersion}` : <span className="muted">Not published</span>}</td>
              <td title={formatDateTime(f.updatedAt)}>{formatRelative(f.updatedAt)}</td>
              <td className="cell-actions">
                <Link to={`/runs?flowId=${encodeURIComponent(f.id)}`} className="btn btn-ghost btn-small">
                  Runs
                </Link>
                {onDelete && (
                  <button type="button" className="btn btn-ghost btn-small btn-danger-text" onClick={() => onDelete(f)} data-testid="flow-delete">
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
