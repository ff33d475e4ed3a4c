import { sampleEvent, sampleKinds, type SampleKind } from '@handoff/nodes';
import { useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { prettyJson } from '../../../lib/format';

interface Props {
  open: boolean;
  /** The flow's trigger type; Stripe triggers get sample events, others a JSON payload. */
  triggerType: string | null;
  /** Payload for non-Stripe triggers, e.g. a manual trigger's configured sample. */
  samplePayload?: unknown;
  busy: boolean;
  error: unknown;
  dirty: boolean;
  onRun: (event: unknown) => void;
  onClose: () => void;
}

const kinds = Object.entries(sampleKinds) as Array<[SampleKind, { label: string; type: string }]>;

export function TestRunDialog({ open, triggerType, samplePayload, busy, error, dirty, onRun, onClose }: Props) {
  const isStripe = triggerType === 'stripe.trigger';
  const [kind, setKind] = useState<SampleKind>('checkout_paid');
  const [text, setText] = useState(() => prettyJson(isStripe ? sampleEvent('checkout_paid') : (samplePayload ?? {})));
  const [parseError, setParseError] = useState<string | null>(null);

  const pick = (k: SampleKind) => {
    setKind(k);
    setText(prettyJson(sampleEvent(k)));
    setParseError(null);
  };

  const run = () => {
    try {
      onRun(JSON.parse(text || '{}'));
      setParseError(null);
    } catch {
      setParseError('The event is not valid JSON.');
    }
  };

  return (
    <Dialog
      open={open}
      wide
      title="Test with a sample event"
      onClose={onClose}
      testId="test-run-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={busy || !triggerType} onClick={run} data-testid="test-run-submit">
            {busy ? 'Starting…' : dirty ? 'Save and run test' : 'Run test'}
          </button>
        </>
      }
    >
      <div className="stack">
        {!triggerType && <ErrorBanner error={new Error('Add a trigger before testing the flow.')} />}
        <p className="muted">
          A test run goes through the current draft with this event. Built-in CRM and notifications act for real, marked as a test run.
        </p>
        {isStripe && (
          <div className="sample-kinds" role="radiogroup" aria-label="Sample event" data-testid="sample-kinds">
            {kinds.map(([k, v]) => (
              <label key={k} className={k === kind ? 'sample is-on' : 'sample'}>
                <input type="radio" name="sample" checked={k === kind} onChange={() => pick(k)} data-testid={`sample-${k}`} />
                <span className="sample-label">{v.label}</span>
                <code className="sample-type">{v.type}</code>
              </label>
            ))}
          </div>
        )}
        <label className="field">
          <span className="field-label">{isStripe ? 'Event (you can edit it)' : 'Trigger payload (JSON)'}</span>
          <textarea className="mono" rows={isStripe ? 10 : 8} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} data-testid="test-run-event" />
        </label>
        {parseError && <ErrorBanner error={new Error(parseError)} />}
        {error ? <ErrorBanner title="The test run did not start." error={error} /> : null}
      </div>
    </Dialog>
  );
}
