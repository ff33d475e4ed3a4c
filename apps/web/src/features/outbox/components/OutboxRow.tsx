import { Link } from 'react-router';
import type { OutboxMessage } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatDateTime, formatRelative, shortId } from '../../../lib/format';
import { useRetryOutbox } from '../hooks/useOutbox';
import { attemptsLabel, attemptsNewestFirst, canRetry, outboxReason } from '../lib/outbox';

interface Props {
  message: OutboxMessage;
  expanded: boolean;
  onToggle: () => void;
  mayRetry: boolean;
}

/** One message: a summary row, and when expanded its text and every delivery attempt. */
export function OutboxRow({ message: m, expanded, onToggle, mayRetry }: Props) {
  const retry = useRetryOutbox();
  const reason = outboxReason(m);
  return (
    <>
      <tr onClick={onToggle} className={expanded ? 'is-expanded' : undefined} data-testid={`outbox-row-${m.id}`} data-status={m.status} aria-expanded={expanded}>
        <td>
          <Badge status={m.status} testId={`outbox-status-${m.id}`} />
        </td>
        <td>
          <div className="row-title">{m.recipient || <span className="muted">—</span>}</div>
          <span className="muted small">{m.channel}</span>
          {m.test && (
            <>
              {' '}
              <span className="test-tag" title="Queued by a test run of a draft" data-testid="outbox-test">
                Test
              </span>
            </>
          )}
        </td>
        <td className="cell-clip">
          <div className="clip">{m.subject || m.body}</div>
          {reason && <div className="clip small text-danger" title={reason}>{reason}</div>}
        </td>
        <td className="nowrap">{attemptsLabel(m)}</td>
        <td className="nowrap" title={formatDateTime(m.createdAt)}>
          {formatRelative(m.createdAt)}
        </td>
        <td className="nowrap">
          {m.runId ? (
            <Link to={`/runs/${m.runId}`} onClick={(e) => e.stopPropagation()} data-testid={`outbox-run-${m.id}`}>
              <code>{shortId(m.runId)}</code>
            </Link>
          ) : (
            <span className="muted">—</span>
          )}
          {m.nodeId && <span className="muted small"> · {m.nodeId}</span>}
        </td>
        <td className="cell-actions">
          {mayRetry && canRetry(m.status) && (
            <button
              type="button"
              className="btn btn-small"
              disabled={retry.isPending}
              onClick={(e) => {
                e.stopPropagation();
                retry.mutate(m.id);
              }}
              data-testid={`outbox-retry-${m.id}`}
            >
              {retry.isPending ? 'Retrying…' : 'Retry'}
            </button>
          )}
        </td>
      </tr>
      {(expanded || retry.isError) && (
        <tr className="row-detail" data-testid={`outbox-detail-${m.id}`}>
          <td colSpan={7}>
            {retry.isError && <ErrorBanner title="Could not retry." error={retry.error} />}
            {expanded && (
              <div className="outbox-detail">
                <div>
                  <h3 className="detail-title">Message</h3>
                  {m.subject && <div className="row-title">{m.subject}</div>}
                  <pre className="message-body">{m.body}</pre>
                  <div className="muted small">
                    Queued {formatDateTime(m.createdAt)}
                    {m.sentAt && ` · sent ${formatDateTime(m.sentAt)}`} · id <code>{m.id}</code>
                  </div>
                </div>
                <div>
                  <h3 className="detail-title">Attempts ({attemptsLabel(m)})</h3>
                  {m.history.length === 0 ? (
                    <p className="muted small" data-testid={`outbox-no-attempts-${m.id}`}>
                      {m.status === 'held' ? 'Not attempted: the step had no credential to send with.' : 'No attempts yet.'}
                    </p>
                  ) : (
                    <ol className="attempts" data-testid={`outbox-attempts-${m.id}`}>
                      {attemptsNewestFirst(m).map((h, i) => (
                        <li key={`${h.at}-${i}`}>
                          <Badge status={h.ok ? 'sent' : 'failed'} label={h.ok ? 'OK' : 'Failed'} />
                          <span className="muted small">{formatDateTime(h.at)}</span>
                          {h.error && <div className="small text-danger">{h.error}</div>}
                        </li>
                      ))}
                    </ol>
                  )}
                </div>
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
