import { sampleEvent, sampleKinds, type SampleKind } from '@handoff/nodes';
import { useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { prettyJson } from '../../../lib/format';
import { DEFAULT_SAMPLE_KIND, testRunBody, type TestRunBody, type TestRunSetup } from '../lib/testRunSetup';

interface Props {
  open: boolean;
  /** From the flow's trigger (`def.trigger.test` and `sample`); null when the flow has no trigger. */
  setup: TestRunSetup | null;
  busy: boolean;
  error: unknown;
  dirty: boolean;
  onRun: (body: TestRunBody) => void;
  onClose: () => void;
}

const kinds = Object.entries(sampleKinds) as Array<[SampleKind, { label: string; type: string }]>;

export function TestRunDialog({ open, setup, busy, error, dirty, onRun, onClose }: Props) {
  const mode = setup?.mode ?? 'payload';
  const isStripe = mode === 'stripeEvent';
  const [kind, setKind] = useState<SampleKind>(DEFAULT_SAMPLE_KIND);
  const [text, setText] = useState(() => prettyJson(setup?.initial ?? {}));
  const [parseError, setParseError] = useState<string | null>(null);

  const pick = (k: SampleKind) => {
    setKind(k);
    setText(prettyJson(sampleEvent(k)));
    setParseError(null);
  };

  const run = () => {
    try {
      onRun(testRunBody(mode, JSON.parse(text || '{}')));
      setParseError(null);
    } catch {
      setParseError(isStripe ? 'The event is not valid JSON.' : 'The payload is not valid JSON.');
    }
  };

  return (
    <Dialog
      open={open}
      wide
      title={isStripe ? 'Test with a sample event' : 'Test with a sample payload'}
      onClose={onClose}
      testId="test-run-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={busy || !setup} onClick={run} data-testid="test-run-submit">
            {busy ? 'Starting…' : dirty ? 'Save and run test' : 'Run test'}
          </button>
        </>
      }
    >
      <div className="stack">
        {!setup && <ErrorBanner error={new Error('Add a trigger before testing the flow.')} />}
        <p className="muted">
          A test run goes through the current draft with this {isStripe ? 'event' : <>payload as <code>trigger</code></>}. Built-in CRM and notifications act
          for real, marked as a test run.
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
          <span className="field-label">{isStripe ? 'Event (you can edit it)' : 'Trigger payload (JSON, you can edit it)'}</span>
          <textarea className="mono" rows={isStripe ? 10 : 12} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} data-testid="test-run-event" />
        </label>
        {parseError && <ErrorBanner error={new Error(parseError)} />}
        {error ? <ErrorBanner title="The test run did not start." error={error} /> : null}
      </div>
    </Dialog>
  );
}
