import type { Blocker } from 'react-router';
import { Dialog } from '../../../components/Dialog';

/** Asks before leaving the editor with unsaved changes (router blocker). */
export function LeaveDialog({ blocker, onSaveAndLeave, saving }: { blocker: Blocker; onSaveAndLeave: () => void; saving: boolean }) {
  const open = blocker.state === 'blocked';
  return (
    <Dialog
      open={open}
      title="Leave without saving?"
      onClose={() => blocker.reset?.()}
      testId="leave-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={() => blocker.reset?.()} data-testid="leave-stay">
            Stay
          </button>
          <button type="button" className="btn btn-danger-text" onClick={() => blocker.proceed?.()} data-testid="leave-discard">
            Discard changes
          </button>
          <button type="button" className="btn btn-primary" disabled={saving} onClick={onSaveAndLeave} data-testid="leave-save">
            {saving ? 'Saving…' : 'Save and leave'}
          </button>
        </>
      }
    >
      <p>This flow has changes that are not saved yet.</p>
    </Dialog>
  );
}
