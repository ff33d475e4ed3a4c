import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime, formatMoney, formatRelative } from '../../../lib/format';
import { DealInvoice } from '../../board/components/DealInvoice';
import { useStageLabel } from '../../crm/hooks/useStages';
import { humanize } from '../../deals/lib/timeline';
import { useContact } from '../hooks/useContacts';

/** One client: who they are, what flows learned about them (properties), and their deals. */
export function ContactPage() {
  const { id = '' } = useParams();
  const contact = useContact(id);
  const labelOf = useStageLabel();

  if (contact.isPending) {
    return (
      <main className="page">
        <Spinner label="Loading contact…" />
      </main>
    );
  }
  if (contact.isError) {
    const missing = contact.error instanceof ApiError && contact.error.status === 404;
    return (
      <main className="page">
        {missing ? (
          <EmptyState title="No such contact" action={<Link to="/contacts">All contacts</Link>} />
        ) : (
          <ErrorBanner title="Could not load the contact." error={contact.error} onRetry={() => contact.refetch()} />
        )}
      </main>
    );
  }
  const c = contact.data;
  const properties = Object.entries(c.properties ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return (
    <main className="page" data-testid="contact-page">
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/contacts">Contacts</Link>
      </nav>
      <header className="deal-page-head">
        <div className="deal-page-title">
          <h1 data-testid="contact-name">{c.name || c.email || 'Unnamed contact'}</h1>
          <p className="muted">
            {c.name && c.email}
            {c.stripeCustomerId && <span className="mono-soft"> · {c.stripeCustomerId}</span>}
          </p>
        </div>
      </header>
      <div className="deal-layout">
        <section className="card deal-story">
          <div className="side-card-head">
            <h2>Deals</h2>
            <span className="count">{c.deals.length}</span>
          </div>
          {c.deals.length === 0 ? (
            <p className="muted">No deals yet.</p>
          ) : (
            <ul className="contact-deals" data-testid="contact-deals">
              {c.deals.map((d) => (
                <li key={d.id} className="contact-deal">
                  <div className="contact-deal-main">
                    <Link to={`/deals/${d.id}`} className="row-title">
                      {d.title || d.product || 'Untitled deal'}
                    </Link>
                    <span className="muted small">
                      {d.product && d.title ? `${d.product} · ` : ''}
                      updated {formatRelative(d.updatedAt)}
                    </span>
                  </div>
                  <DealInvoice stripe={d.stripe} />
                  <span className="deal-amount">{formatMoney(d.amount, d.currency)}</span>
                  <Badge status={d.stage} tone="neutral" label={labelOf(d.stage)} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <aside className="deal-side">
          <section className="card side-card" data-testid="contact-properties">
            <div className="side-card-head">
              <h2>Properties</h2>
            </div>
            {properties.length === 0 ? (
              <p className="muted small">None yet. Flows with a “Update contact” step fill these in.</p>
            ) : (
              <dl className="facts">
                {properties.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt>{humanize(k)}</dt>
                    <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="muted small contact-since">Known since {formatDateTime(c.createdAt)}</p>
          </section>
        </aside>
      </div>
    </main>
  );
}
