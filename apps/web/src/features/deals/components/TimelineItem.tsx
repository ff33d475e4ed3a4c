import { Link } from 'react-router';
import type { TimelineEntry } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { paymentTone } from '../../board/lib/dealStripe';
import { describeEntry } from '../lib/timeline';
import { ActorText } from './ActorText';
import { IntakeAnswers } from './IntakeAnswers';

interface Props {
  entry: TimelineEntry;
  labelOf: (stage: string) => string;
}

/** One thing that happened to the deal: what, who or what did it, when, and its outcome. */
export function TimelineItem({ entry, labelOf }: Props) {
  const view = describeEntry(entry, labelOf);
  // A run named as the actor is already linked; other entries about a run link it at the end.
  const runLink = view.runId && view.actor?.type !== 'run' ? view.runId : null;
  return (
    <li className={`tl-item tl-${entry.kind}`} data-testid={`timeline-${entry.kind}`}>
      <span className="tl-dot" aria-hidden="true" />
      <div className="tl-body">
        <div className="tl-head">
          <span className="tl-title">{view.title}</span>
          {view.status && <Badge status={view.status} tone={entry.kind === 'payment' ? paymentTone(view.status) : undefined} />}
          <time className="tl-time" dateTime={entry.at} title={formatDateTime(entry.at)}>
            {formatRelative(entry.at)}
          </time>
        </div>
        {(view.detail || view.actor || runLink) && (
          <div className="tl-sub">
            {view.detail && <span className="tl-detail">{view.detail}</span>}
            {view.actor && <ActorText by={view.actor} />}
            {runLink && (
              <Link to={`/runs/${runLink}`} data-testid="timeline-run-link">
                View run
              </Link>
            )}
          </div>
        )}
        {entry.kind === 'intake' && <IntakeAnswers answers={entry.answers} fields={entry.fields} openedAt={entry.openedAt} submittedAt={entry.submittedAt} />}
      </div>
    </li>
  );
}
