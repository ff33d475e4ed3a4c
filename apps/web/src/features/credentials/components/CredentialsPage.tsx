import { useState } from 'react';
import type { CredentialSummary } from '../../../api/types';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useConfirmRemoval } from '../../../components/useConfirmRemoval';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { ListView } from '../../../components/ListView';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { AddCredentialForm } from '../../editor/components/fields/AddCredentialForm';
import { CREDENTIAL_TYPES, credentialTypeInfo } from '../../editor/lib/credentialTypes';
import { useCredentialList, useCredentialUsage, useDeleteCredential } from '../hooks/useCredentialAdmin';
import { CredentialUsageCell } from './CredentialUsageCell';

const ALL_TYPES = CREDENTIAL_TYPES.map((t) => t.type);

/** Stored secrets by name and type (never their values): add, see where used, delete. */
export function CredentialsPage() {
  const list = useCredentialList();
  const usage = useCredentialUsage();
  const remove = useDeleteCredential();
  const me = useMe();
  const editor = canEdit(me.data);
  const [adding, setAdding] = useState(false);
  const removal = useConfirmRemoval<CredentialSummary>(remove);
  const deleting = removal.target;
  const items = list.data?.items ?? [];
  const deletingUses = deleting ? usage.usage.get(deleting.id) : undefined;

  return (
    <main className="page">
      <PageHeader
        title="Credentials"
        subtitle="Secrets flows use to reach outside systems. Stored encrypted; they can be replaced, never read back."
        actions={
          editor && !adding ? (
            <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="credential-add">
              Add credential
            </button>
          ) : undefined
        }
      />
      {adding && (
        <div className="card credential-add" data-testid="credential-add-card">
          <h2 className="card-title">New credential</h2>
          <AddCredentialForm accepted={ALL_TYPES} type={undefined} onCreated={() => setAdding(false)} onCancel={() => setAdding(false)} />
        </div>
      )}
      {usage.failed && <ErrorBanner title="Could not read every flow to say where credentials are used." />}
      <ListView
        query={list}
        count={items.length}
        what="credentials"
        testId="credentials-table"
        tableClassName="table-compact"
        empty={
          <EmptyState title="No credentials yet" testId="credentials-empty">
            Add a Slack webhook, an SMTP server, a Stripe key or a webhook secret here, or from a step’s settings in the editor.
          </EmptyState>
        }
        columns={
          <>
            <th>Name</th>
            <th>Type</th>
            <th>Used in{usage.complete ? '' : ' (newest flows’ drafts)'}</th>
            <th>Updated</th>
            <th aria-label="Actions" />
          </>
        }
      >
        {items.map((c) => (
          <tr key={c.id} data-testid={`credential-row-${c.id}`}>
            <td>
              <span className="row-title">{c.name}</span>
            </td>
            <td>{credentialTypeInfo(c.type).label}</td>
            <td>
              <CredentialUsageCell uses={usage.usage.get(c.id)} loading={usage.loading} testId={`credential-used-${c.id}`} />
            </td>
            <td className="nowrap" title={`Created ${formatDateTime(c.createdAt)}`}>
              {formatRelative(c.updatedAt ?? c.createdAt)}
            </td>
            <td className="cell-actions">
              {editor && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => removal.ask(c)}
                  data-testid={`credential-delete-${c.id}`}
                >
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      </ListView>
      <ConfirmDialog
        {...removal.dialog}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete credential"
        danger
      >
        {deletingUses?.length ? (
          <>
            Steps that use it will stop working until they get another credential: {deletingUses.map((u) => `${u.flowName} (${u.nodeId})`).join(', ')}.
          </>
        ) : (
          'No flow draft uses it. Published versions that point at it will fail at that step.'
        )}
      </ConfirmDialog>
    </main>
  );
}
