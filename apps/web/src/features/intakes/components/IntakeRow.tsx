import { Link } from 'react-router';
import type { Intake } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { IntakeAnswers } from '../../deals/components/IntakeAnswers';
import { useResendIntake } from '../hooks/useIntakes';
import { intakeClient, intakeProgress, isMaskedLink } from '../lib/intakes';

interface Props {
  intake: Intake;
  expanded: boolean;
  onToggle: () => void;
  mayResend: boolean;
}

/** One intake: who, deal, flow and link in a row; expanded, the form's questions with the client's answers. */
export function IntakeRow({ intake: i, expanded, onToggle, mayResend }: Props) {
  const resend = useResendIntake();
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();
  return (
    <>
      <tr onClick={onToggle} className={expanded ? 'is-expanded' : undefined} data-testid={`intake-row-${i.id}`} data-status={i.status} aria-expanded={expanded}>
        <td>
          <Badge status={i.status} testId={`intake-status-${i.id}`} />
        </td>
        <td>
          <div className="row-title">{intakeClient(i)}</div>
          {i.name && i.email && <span className="muted small">{i.email}</span>}
        </td>
        <td>
          {i.deal ? (
            <Link to={`/deals/${i.deal.id}`} onClick={stop} data-testid={`intake-deal-${i.id}`}>
              {i.deal.title || 'Deal'}
            </Link>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td>
          {i.flow ? (
            <Link to={`/flows/${i.flow.id}`} onClick={stop}>
              {i.flow.name}
            </Link>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td className="nowrap" title={formatDateTime(i.createdAt)}>
          {formatRelative(i.createdAt)}
        </td>
        <td className="cell-actions" onClick={stop}>
          {i.url && !isMaskedLink(i.url) && <CopyButton text={i.url} label="Copy link" testId={`intake-copy-${i.id}`} />}
          {i.url && isMaskedLink(i.url) && (
            <span className="muted small" title="Only editors and admins see intake links" data-testid={`intake-link-masked-${i.id}`}>
              Link hidden
            </span>
          )}
          {mayResend && i.canResend && (
            <button type="button" className="btn btn-small" disabled={resend.isPending} onClick={() => resend.mutate(i.id)} data-testid={`intake-resend-${i.id}`}>
              {resend.isPending ? 'Sending…' : 'Resend'}
            </button>
          )}
        </td>
      </tr>
      {(expanded || resend.isError || resend.isSuccess) && (
        <tr className="row-detail" data-testid={`intake-detail-${i.id}`}>
          <td colSpan={6}>
            {resend.isError && <ErrorBanner title="Could not resend." error={resend.error} />}
            {resend.isSuccess && !expanded && <p className="small" data-testid={`intake-resent-${i.id}`}>Sent again: the e-mail is in the Outbox.</p>}
            {expanded && (
              <div className="intake-detail">
                <div>
                  <h3 className="detail-title">Answers</h3>
                  {i.answers ? (
                    <IntakeAnswers answers={i.answers} fields={i.fields} openedAt={i.openedAt} submittedAt={i.submittedAt} />
                  ) : (
                    <>
                      <p className="muted">{intakeProgress(i)}</p>
                      <h3 className="detail-title">Questions</h3>
                      <ul className="intake-questions" data-testid={`intake-questions-${i.id}`}>
                        {i.fields.map((f) => (
                          <li key={f.name}>
                            {f.label}
                            {f.required && <span className="muted small"> (required)</span>}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
                <div>
                  <h3 className="detail-title">Link</h3>
                  {i.url ? <code className="intake-url" data-testid={`intake-url-${i.id}`}>{i.url}</code> : <p className="muted">No link recorded.</p>}
                  <p className="muted small">
                    Expires {formatDateTime(i.expiresAt)}
                    {i.message && (
                      <>
                        {' · '}
                        {i.message.count === 1 ? 'e-mail' : `${i.message.count} e-mails`}, last {i.message.status}
                        {i.message.sentAt && ` ${formatRelative(i.message.sentAt)}`} (<Link to={i.runId ? `/outbox?runId=${i.runId}` : '/outbox'}>Outbox</Link>)
                      </>
                    )}
                  </p>
                  {!i.canResend && i.resendBlockedBecause && i.status !== 'submitted' && <p className="muted small">{i.resendBlockedBecause}</p>}
                  {i.runId && (
                    <p className="small">
                      <Link to={`/runs/${i.runId}`}>Open the run</Link>
                    </p>
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
