import { useNavigate } from 'react-router';
import { errorMessage } from '../../../api/client';
import { newFlowDocument, useCreateFlow } from '../hooks/useFlows';

export function NewFlowButton({ testId = 'new-flow' }: { testId?: string }) {
  const create = useCreateFlow();
  const navigate = useNavigate();
  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        disabled={create.isPending}
        data-testid={testId}
        onClick={() => create.mutate(newFlowDocument(), { onSuccess: (flow) => navigate(`/flows/${flow.id}`) })}
      >
        {create.isPending ? 'Creating…' : 'New flow'}
      </button>
      {create.isError && (
        <span className="inline-error" role="alert">
          {errorMessage(create.error)}
        </span>
      )}
    </>
  );
}
