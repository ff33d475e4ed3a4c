import { Link } from 'react-router';
import { Badge } from '../../../components/Badge';
import { JsonView } from '../../../components/JsonView';
import type { RunStep } from '../../../api/types';
import { formatDateTime, formatDuration, prettyJson } from '../../../lib/format';

function errorText(error: unknown): string | null {
  if (error === null || error === undefined || error === '') return null;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && 'message' in error && typeof (error as { message: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return prettyJson(error);
}

interface Props {
  nodeId: string;
  label?: string;
  step: RunStep | undefined;
  attempts?: number;
}

/** One step of a run: status, route taken, timing, error, input and output. */
export function StepDetails({ nodeId, label, step, attempts }: Props) {
  if (!step) {
    return (
      <div className="panel-section" data-testid="step-details" data-node-id={nodeId}>
        <header className="panel-head">
          <div className="panel-head-text">
            <h2>{label ?? nodeId}</h2>
            <code className="muted small">{nodeId}</code>
          </div>
        </header>
        <p className="muted" data-testid="step-not-run">This step has not run in this run.</p>
      </div>
    );
  }
  const err = errorText(step.error);
  return (
    <div className="panel-section" data-testid="step-details" data-node-id={nodeId}>
      <header className="panel-head">
        <div className="panel-head-text">
          <h2>{label ?? nodeId}</h2>
          <code className="muted small">{nodeId}</code>
        </div>
        <Badge status={step.status} testId="step-status" />
      </header>
      <dl className="facts">
        {step.port && (
          <>
            <dt>Went to</dt>
            <dd>
              <code data-testid="step-port">{step.port}</code>
            </dd>
          </>
        )}
        <dt>Duration</dt>
        <dd data-testid="step-duration">{step.finishedAt ? formatDuration(step.startedAt, step.finishedAt) : step.status === 'running' ? 'Running…' : '—'}</dd>
        {step.waitUntil && step.status === 'waiting' && (
          <>
            <dt>Waits until</dt>
            <dd>{formatDateTime(step.waitUntil)}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd>{formatDateTime(step.startedAt)}</dd>
        <dt>Attempt</dt>
        <dd>
          {step.attempt}
          {step.maxAttempts && step.maxAttempts > 1 ? ` of ${step.maxAttempts}` : attempts && attempts > 1 ? ` of ${attempts}` : ''}
        </dd>
        {step.idempotencyKey && (
          <>
            <dt>Once-only key</dt>
            <dd>
              <code>{step.idempotencyKey}</code>
            </dd>
          </>
        )}
      </dl>
      {step.skippedOfRun && (
        <p className="callout small" data-testid="step-skipped-of">
          Skipped: this was already done by{' '}
          <Link to={`/runs/${step.skippedOfRun}`}>an earlier run</Link>, so it was not repeated.
        </p>
      )}
      {err && (
        <div className="step-error" data-testid="step-error">
          <div className="step-error-title">Error</div>
          <pre>{err}</pre>
        </div>
      )}
      <details className="io" open={!err}>
        <summary>Output</summary>
        <JsonView value={step.output} testId="step-output" empty="No output" />
      </details>
      <details className="io">
        <summary>Input</summary>
        <JsonView value={step.input} testId="step-input" empty="No input" />
      </details>
    </div>
  );
}
