import { Link } from 'react-router';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { useRuns } from '../../runs/hooks/useRuns';

interface Props {
  flowId: string;
  /** The run drawn on the canvas, if any. */
  watching: string | null;
  onWatch: (runId: string) => void;
  follow: boolean;
  onFollow: (on: boolean) => void;
}

const SHOWN = 8;

/** The flow's newest runs (real and test), live: pick one to watch it on the canvas, or follow each new run as it starts. */
export function RecentRuns({ flowId, watching, onWatch, follow, onFollow }: Props) {
  const runs = useRuns({ flowId });
  const items = runs.data?.pages[0]?.items.slice(0, SHOWN) ?? [];
  return (
    <section className="recent-runs" aria-label="Recent runs" data-testid="recent-runs">
      <h3>
        Recent runs
        <Link to={`/runs?flowId=${encodeURIComponent(flowId)}`} className="muted small">
          all
        </Link>
      </h3>
      <label className="follow-toggle" title="Draw every new run of this flow on the canvas as it starts: webhook and Stripe deliveries as well as tests">
        <input type="checkbox" checked={follow} onChange={(e) => onFollow(e.target.checked)} data-testid="follow-runs" /> Follow new runs live
      </label>
      {runs.isSuccess && items.length === 0 && <p className="muted small">No runs yet. A published flow runs on each event its trigger receives; Test run tries the draft.</p>}
      <ul>
        {items.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={r.id === watching ? 'recent-run is-on' : 'recent-run'}
              onClick={() => onWatch(r.id)}
              title={`Started ${formatDateTime(r.startedAt ?? r.createdAt)}`}
              data-testid={`recent-run-${r.id}`}
              data-status={r.status}
            >
              <span className={`step-dot step-dot-${r.status}`} aria-hidden="true" />
              <span>{r.status}</span>
              {r.test || !r.version ? <span className="test-tag">Test</span> : <span className="muted">v{r.version}</span>}
              <code className="muted">{r.trigger?.eventId ?? r.id.slice(0, 8)}</code>
              <span className="recent-run-when">{formatRelative(r.startedAt ?? r.createdAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
