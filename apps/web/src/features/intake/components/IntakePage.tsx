import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { useIntake, useSubmitIntake } from '../hooks/useIntake';

const DONE = new Set(['submitted', 'completed', 'complete', 'done']);

/** Public onboarding form at `/intake/:token`: no login, the token is the key. */
export function IntakePage() {
  const { token = '' } = useParams();
  const intake = useIntake(token);
  const submit = useSubmitIntake(token);
  const [answers, setAnswers] = useState<Record<string, string>>({});

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate(answers);
  };

  let body;
  if (intake.isPending) body = <Spinner />;
  else if (intake.isError) {
    const gone = intake.error instanceof ApiError && [404, 410].includes(intake.error.status);
    // A form already sent answers 410 too: tell the client it arrived, not that the link is bad.
    const reason = intake.error instanceof ApiError ? intake.error.reason : undefined;
    body = reason === 'submitted' ? (
      <div data-testid="intake-done">
        <h1>We have your answers</h1>
        <p className="muted">This form was already sent, thank you. Your onboarding team will be in touch shortly.</p>
      </div>
    ) : reason === 'expired' ? (
      <div data-testid="intake-expired">
        <h1>This form has expired</h1>
        <p className="muted">Please ask your contact for a new link.</p>
      </div>
    ) : gone ? (
      <div data-testid="intake-invalid">
        <h1>This link is not valid</h1>
        <p className="muted">It may have expired or been mistyped. Please contact the person who sent it to you.</p>
      </div>
    ) : (
      <ErrorBanner error={intake.error} onRetry={() => intake.refetch()} />
    );
  } else if (submit.isSuccess || DONE.has(intake.data.status)) {
    body = (
      <div data-testid="intake-done">
        <h1>Thank you!</h1>
        <p className="muted">We have your answers. Your onboarding team will be in touch shortly.</p>
      </div>
    );
  } else if (intake.data.status === 'expired') {
    body = (
      <div data-testid="intake-expired">
        <h1>This form has expired</h1>
        <p className="muted">Please ask your contact for a new link.</p>
      </div>
    );
  } else {
    const { fields, contact } = intake.data;
    body = (
      <form onSubmit={onSubmit} className="stack" data-testid="intake-form">
        <div>
          <h1>{contact?.name ? `Welcome, ${contact.name}` : 'Welcome aboard'}</h1>
          <p className="muted">A few questions so we can start your onboarding. It takes about two minutes.</p>
        </div>
        {fields.map((f) => (
          <label key={f.name} className="field">
            <span className="field-label">
              {f.label}
              {!f.required && <span className="field-optional">optional</span>}
            </span>
            {/^(notes|comments|description|anything)/i.test(f.name) ? (
              <textarea rows={4} required={f.required} value={answers[f.name] ?? ''} onChange={(e) => setAnswers({ ...answers, [f.name]: e.target.value })} data-testid={`intake-${f.name}`} />
            ) : (
              <input
                type={/date/i.test(f.name) ? 'date' : /email/i.test(f.name) ? 'email' : 'text'}
                required={f.required}
                value={answers[f.name] ?? ''}
                onChange={(e) => setAnswers({ ...answers, [f.name]: e.target.value })}
                data-testid={`intake-${f.name}`}
              />
            )}
          </label>
        ))}
        {submit.isError && <ErrorBanner title="Your answers were not sent." error={submit.error} />}
        <button type="submit" className="btn btn-primary btn-block" disabled={submit.isPending} data-testid="intake-submit">
          {submit.isPending ? 'Sending…' : 'Send answers'}
        </button>
      </form>
    );
  }

  return (
    <main className="intake">
      <div className="intake-card">{body}</div>
      <p className="intake-foot muted small">Sent to you through Handoff</p>
    </main>
  );
}
