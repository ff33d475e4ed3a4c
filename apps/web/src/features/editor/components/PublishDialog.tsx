import { useState } from 'react';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';

interface Props {
  open: boolean;
  busy: boolean;
  error: unknown;
  nextVersion: number;
  dirty: boolean;
  onPublish: (note: string) => void;
  onClose: () => void;
}

export function PublishDialog({ open, busy, error, nextVersion, dirty, onPublish, onClose }: Props) {
  const [note, setNote] = useState('');
  return (
    <Dialog
      open={open}
      title={`Publish version ${nextVersion}`}
      onClose={onClose}
      testId="publish-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onPublish(note.trim())} data-testid="publish-confirm">
            {busy ? 'Publishing…' : dirty ? 'Save and publish' : 'Publish'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p>
          New runs start on version {nextVersion}, whatever starts them. Runs already in progress finish on the version they started with.
        </p>
        <label className="field">
          <span className="field-label">
            What changed? <span className="field-optional">optional</span>
          </span>
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="e.g. Notify delivery on Slack as well" data-testid="publish-note" />
        </label>
        {error ? <ErrorBanner title="Not published." error={error} /> : null}
      </div>
    </Dialog>
  );
}
