import { useState } from 'react';
import type { Flow } from '../../../api/types';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { toast } from '../../../lib/toast';
import { useReplaceDraftInEditor } from '../hooks/useReplaceDraft';
import { useEditor } from '../store/useEditorStore';

/** Where the draft stands: saving, unsaved, saved and live, or saved but not what runs (with "Discard draft"). */
export function DraftStatus({ flow, saving }: { flow: Flow; saving: boolean }) {
  const dirty = useEditor((s) => s.dirty);
  const readOnly = useEditor((s) => s.readOnly);
  const discard = useReplaceDraftInEditor(flow.id);
  const [asking, setAsking] = useState(false);
  const differs = !dirty && !saving && flow.publishedVersion !== null && flow.draftDiffers;
  const text = saving ? 'Saving…' : dirty ? 'Unsaved changes' : differs ? `Draft differs from live v${flow.publishedVersion}` : 'All changes saved';

  return (
    <>
      <span className={dirty || differs ? 'save-state is-dirty' : 'save-state'} data-testid="save-state">
        {text}
      </span>
      {differs && !readOnly && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            discard.reset();
            setAsking(true);
          }}
          data-testid="discard-draft"
        >
          Discard draft
        </button>
      )}
      <ConfirmDialog
        open={asking}
        title={`Discard the draft and go back to live v${flow.publishedVersion}?`}
        confirmLabel="Discard draft"
        danger
        busy={discard.isPending}
        error={discard.error}
        onConfirm={() =>
          discard.run('live', () => {
            setAsking(false);
            toast(`Draft replaced by live v${flow.publishedVersion}`);
          })
        }
        onClose={() => setAsking(false)}
      >
        Every change made since v{flow.publishedVersion} was published is thrown away. Live runs are not affected.
      </ConfirmDialog>
    </>
  );
}
