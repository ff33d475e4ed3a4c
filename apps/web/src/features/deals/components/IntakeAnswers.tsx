import { formatDateTime } from '../../../lib/format';
import { intakeAnswers } from '../lib/timeline';

interface Props {
  answers: Record<string, unknown> | null;
  fields?: Array<{ name: string; label: string }>;
  openedAt: string | null;
  submittedAt: string | null;
}

/** The client's answers to the intake form, question by question, as they wrote them. */
export function IntakeAnswers({ answers, fields, openedAt, submittedAt }: Props) {
  const lines = intakeAnswers(answers, fields);
  return (
    <div className="tl-intake">
      {lines.length > 0 && (
        <dl className="answers" data-testid="intake-answers">
          {lines.map((a) => (
            <div key={a.key} className="answer" data-testid={`intake-answer-${a.key}`}>
              <dt>{a.label}</dt>
              <dd>{a.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted small">
        {openedAt ? `Opened ${formatDateTime(openedAt)}` : 'Not opened yet'}
        {submittedAt && ` · answered ${formatDateTime(submittedAt)}`}
      </p>
    </div>
  );
}
