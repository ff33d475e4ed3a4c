import { useNavigate } from 'react-router';
import { flowTemplates, getNodeType, templateDocument } from '@handoff/nodes';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { useCreateFlow } from '../hooks/useFlows';

/** The shipped templates as cards, for a team with no flow yet: one click makes a draft of it. */
export function TemplateCards() {
  const create = useCreateFlow();
  const navigate = useNavigate();
  const use = (id: string) => {
    const doc = templateDocument(id);
    if (doc) create.mutate(doc, { onSuccess: (flow) => navigate(`/flows/${flow.id}`) });
  };
  return (
    <section className="template-cards-section" aria-label="Start from a template">
      <h2 className="section-title">Or start from a template</h2>
      {create.isError && <ErrorBanner title="Could not create the flow." error={create.error} />}
      <div className="template-cards" data-testid="template-cards">
        {flowTemplates.map((t) => (
          <article key={t.id} className="card template-card" data-testid={`template-card-${t.id}`}>
            <h3 className="card-title">{t.name}</h3>
            <p className="muted small template-desc" title={t.description}>
              {t.description}
            </p>
            <p className="small template-steps">{t.document.nodes.map((n) => getNodeType(n.type)?.label ?? n.type).join(' → ')}</p>
            <button type="button" className="btn btn-small" disabled={create.isPending} onClick={() => use(t.id)} data-testid={`template-use-${t.id}`}>
              Use this template
            </button>
          </article>
        ))}
      </div>
    </section>
  );
}
