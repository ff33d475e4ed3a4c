import { useState, type FormEvent } from 'react';
import type { ApiToken, NewApiToken, Role, User } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useConfirmRemoval } from '../../../components/useConfirmRemoval';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { ListView } from '../../../components/ListView';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { useCreateToken, useRevokeToken, useTokens } from '../hooks/useTokens';
import { rolesUpTo, sortTokens, tokenState } from '../lib/access';
import { NewTokenBanner } from './NewTokenBanner';

/** Bearer tokens for scripts: everyone manages their own; admins see and revoke everyone's. */
export function TokensSection({ me }: { me: User }) {
  const admin = me.role === 'admin';
  const tokens = useTokens(admin);
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(me.role);
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const revoking = useConfirmRemoval<ApiToken>(revoke);
  const items = sortTokens(tokens.data?.items ?? []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), role, expiresInDays: days },
      {
        onSuccess: (t) => {
          setCreated(t);
          setName('');
        },
      },
    );
  };

  return (
    <section className="ops-section" data-testid="tokens-section">
      <div className="ops-section-head">
        <h2>API tokens</h2>
        <span className="muted small">{admin ? 'Everyone’s tokens. ' : ''}Send as Authorization: Bearer &lt;token&gt;.</span>
      </div>
      <form className="ops-form" onSubmit={submit} data-testid="token-form">
        <label className="field">
          <span className="field-label">Name</span>
          <input required maxLength={100} value={name} placeholder="e.g. nightly export" onChange={(e) => setName(e.target.value)} data-testid="token-name" />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="token-role">
            {rolesUpTo(me.role).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Expires in (days)</span>
          <input type="number" min={1} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="token-days" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim() || !(days >= 1 && days <= 365)} data-testid="token-create">
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {created && <NewTokenBanner token={created} onDismiss={() => setCreated(null)} />}
      {create.isError && <ErrorBanner title="Could not create the token." error={create.error} />}
      <ListView
        query={tokens}
        count={items.length}
        what="tokens"
        testId="tokens-table"
        tableClassName="table-compact"
        empty={
          <EmptyState title="No tokens yet" testId="tokens-empty">
            Create one for a script or another system that calls the Handoff API.
          </EmptyState>
        }
        columns={
          <>
            <th>Name</th>
            {admin && <th>Owner</th>}
            <th>Role</th>
            <th>Status</th>
            <th>Last used</th>
            <th>Expires</th>
            <th aria-label="Actions" />
          </>
        }
      >
        {items.map((t) => {
          const state = tokenState(t);
          return (
            <tr key={t.id} data-testid={`token-row-${t.id}`}>
              <td>
                <span className="row-title">{t.name}</span>
                <div className="muted small">created {formatRelative(t.createdAt)}</div>
              </td>
              {admin && <td className="small">{t.owner.email}</td>}
              <td>{t.role}</td>
              <td>
                <Badge status={state} tone={state === 'active' ? 'success' : 'neutral'} testId={`token-status-${t.id}`} />
              </td>
              <td className="nowrap" title={formatDateTime(t.lastUsedAt)}>
                {t.lastUsedAt ? formatRelative(t.lastUsedAt) : <span className="muted">never</span>}
              </td>
              <td className="nowrap">{formatDateTime(t.expiresAt)}</td>
              <td className="cell-actions">
                {state === 'active' && (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => revoking.ask(t)}
                    data-testid={`token-revoke-${t.id}`}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </ListView>
      <ConfirmDialog
        {...revoking.dialog}
        title={`Revoke “${revoking.target?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        danger
      >
        Scripts using it get 401 from now on. This can’t be undone.
      </ConfirmDialog>
    </section>
  );
}
