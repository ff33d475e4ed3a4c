import { useState, type FormEvent } from 'react';
import type { AdminUser, Role } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useConfirmRemoval } from '../../../components/useConfirmRemoval';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { ListView } from '../../../components/ListView';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers } from '../hooks/useUsers';
import { ROLES } from '../lib/access';
import { ResetPasswordDialog } from './ResetPasswordDialog';

/** Admins: who can sign in, with which role; add, change role, disable, reset password, delete. */
export function UsersSection({ meId }: { meId: string | undefined }) {
  const users = useUsers(true);
  const create = useCreateUser();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const deleting = useConfirmRemoval<AdminUser>(remove);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const items = users.data?.items ?? [];
  // One banner for what the last change answered, e.g. 409 "last active admin".
  const changeError = update.error ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { email: email.trim(), password, role },
      {
        onSuccess: () => {
          setEmail('');
          setPassword('');
        },
      },
    );
  };

  return (
    <section className="ops-section" data-testid="users-section">
      <div className="ops-section-head">
        <h2>Users</h2>
      </div>
      <form className="ops-form" onSubmit={submit} data-testid="user-form">
        <label className="field">
          <span className="field-label">E-mail</span>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="user-email" />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input type="password" autoComplete="new-password" required minLength={10} placeholder="at least 10 characters" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="user-password" />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !email.trim() || password.length < 10} data-testid="user-create">
          {create.isPending ? 'Adding…' : 'Add user'}
        </button>
      </form>
      {create.isError && <ErrorBanner title="Could not add the user." error={create.error} />}
      {changeError && <ErrorBanner title="Could not change the user." error={changeError} />}
      <ListView
        query={users}
        count={items.length}
        what="users"
        testId="users-table"
        tableClassName="table-compact"
        empty={
          <EmptyState title="No users" testId="users-empty" />
        }
        columns={
          <>
            <th>E-mail</th>
            <th>Role</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </>
        }
      >
        {items.map((u) => (
          <tr key={u.id} data-testid={`user-row-${u.id}`}>
            <td>
              <span className="row-title">{u.email}</span>
              {u.id === meId && <span className="muted small"> (you)</span>}
            </td>
            <td>
              <select
                value={u.role}
                aria-label={`Role of ${u.email}`}
                onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}
                data-testid={`user-role-${u.id}`}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <Badge status={u.disabledAt ? 'disabled' : 'active'} testId={`user-status-${u.id}`} />
            </td>
            <td className="cell-actions">
              <button
                type="button"
                className="btn btn-small btn-ghost"
                disabled={update.isPending}
                onClick={() => update.mutate({ id: u.id, disabled: !u.disabledAt })}
                data-testid={`user-toggle-${u.id}`}
              >
                {u.disabledAt ? 'Enable' : 'Disable'}
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setResetting(u)} data-testid={`user-reset-${u.id}`}>
                Reset password
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() => deleting.ask(u)}
                data-testid={`user-delete-${u.id}`}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </ListView>
      <ConfirmDialog
        {...deleting.dialog}
        title={`Delete ${deleting.target?.email ?? ''}?`}
        confirmLabel="Delete user"
        danger
      >
        Their sessions end and their tokens stop working. Disabling keeps the account if you may need it again.
      </ConfirmDialog>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
    </section>
  );
}
