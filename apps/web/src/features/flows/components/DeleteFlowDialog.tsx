import { ConfirmDialog } from '../../../components/ConfirmDialog';
import type { FlowSummary } from '../../../api/types';
import { useDeleteFlow } from '../hooks/useFlows';

export function DeleteFlowDialog({ flow, onClose }: { flow: FlowSummary | null; onClose: () => void }) {
  const del = useDeleteFlow();
  const close = () => {
    del.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={!!flow}
      title="Delete flow?"
      confirmLabel="Delete flow"
      danger
      busy={del.isPending}
      error={del.error ?? undefined}
      onClose={close}
      onConfirm={() => flow && del.mutate(flow.id, { onSuccess: close })}
    >
      <p>
        <strong>{flow?.name}</strong> and its draft will be deleted. Its trigger stops: webhooks are refused, schedules and CRM changes start nothing. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
