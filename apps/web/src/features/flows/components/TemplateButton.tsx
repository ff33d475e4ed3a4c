import { useNavigate } from 'react-router';
import { flowTemplates, templateDocument } from '@handoff/nodes';
import { errorMessage } from '../../../api/client';
import { useCreateFlow } from '../hooks/useFlows';

/** "New from template": copies a shipped template into a new draft and opens it. */
export function TemplateButton() {
  const create = useCreateFlow();
  const navigate = useNavigate();
  return (
    <>
      <select
        className="btn"
        aria-label="New flow from a template"
        data-testid="new-from-template"
        value=""
        disabled={create.isPending}
        onChange={(e) => {
          const doc = templateDocument(e.target.value);
          if (doc) create.mutate(doc, { onSuccess: (flow) => navigate(`/flows/${flow.id}`) });
        }}
      >
        <option value="" disabled>
          {create.isPending ? 'Creating…' : 'From template…'}
        </option>
        {flowTemplates.map((t) => (
          <option key={t.id} value={t.id} title={t.description}>
            {t.name}
          </option>
        ))}
      </select>
      {create.isError && (
        <span className="inline-error" role="alert">
          {errorMessage(create.error)}
        </span>
      )}
    </>
  );
}
