import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ListView } from '../../../components/ListView';
import { PageHeader } from '../../../components/PageHeader';
import { formatRelative } from '../../../lib/format';
import { useContacts } from '../hooks/useContacts';

/** Everyone the CRM knows: the people deals and payments belong to. */
export function ContactsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const contacts = useContacts(q);
  const navigate = useNavigate();

  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() !== q) setParams(search.trim() ? { q: search.trim() } : {}, { replace: true });
    }, 300);
    return () => clearTimeout(t);
  }, [search, q, setParams]);

  const items = contacts.data?.items ?? [];
  return (
    <main className="page">
      <PageHeader title="Contacts" subtitle="Clients and the deals they have with you. Flows keep their Stripe details current." />
      <div className="filters">
        <input type="search" className="filter-search" placeholder="Search name, e-mail or Stripe customer id" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search contacts" data-testid="contacts-search" />
      </div>
      <ListView
        query={contacts}
        count={items.length}
        what="contacts"
        testId="contacts-table"
        tableClassName="table-clickable"
        empty={
          <EmptyState title={q ? 'No contacts match' : 'No contacts yet'} testId="contacts-empty">
            {q ? 'Try part of the name or e-mail.' : 'Contacts appear when a deal is created or a payment comes in.'}
          </EmptyState>
        }
        columns={
          <>
            <th>Name</th>
            <th>E-mail</th>
            <th>Stripe customer</th>
            <th>Open deals</th>
            <th>Last change</th>
          </>
        }
      >
        {items.map((c) => (
          <tr key={c.id} onClick={() => navigate(`/contacts/${c.id}`)} data-testid={`contact-row-${c.id}`}>
            <td>
              <Link className="row-title" to={`/contacts/${c.id}`} onClick={(e) => e.stopPropagation()}>
                {c.name || <span className="muted">No name</span>}
              </Link>
            </td>
            <td>{c.email ?? <span className="muted">—</span>}</td>
            <td className="mono-soft">{c.stripeCustomerId ?? <span className="muted">—</span>}</td>
            <td>{c.openDeals}</td>
            <td>{formatRelative(c.updatedAt)}</td>
          </tr>
        ))}
      </ListView>
    </main>
  );
}
