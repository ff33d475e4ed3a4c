import { Link } from 'react-router';
import type { CredentialUsage } from '../lib/whereUsed';

/** The flows (and steps) whose drafts point at one credential. */
export function CredentialUsageCell({ uses, loading, testId }: { uses: CredentialUsage[] | undefined; loading: boolean; testId: string }) {
  if (!uses?.length) return <span className="muted small" data-testid={testId}>{loading ? 'Checking…' : 'Not used in a draft'}</span>;
  return (
    <div className="small" data-testid={testId}>
      {uses.map((u) => (
        <div key={`${u.flowId}-${u.nodeId}`} className="clip">
          <Link to={`/flows/${u.flowId}`}>{u.flowName}</Link> <span className="muted">· {u.nodeId}</span>
        </div>
      ))}
    </div>
  );
}
