import { useEffect, useState } from 'react';
import type { AdminUser } from '../../../api/types';
import { Dialog } from '../../../components/Dialog';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { toast } from '../../../lib/toast';
import { useResetPassword } from '../hooks/useUsers';

/** An admin sets someone's new password; their sessions end. */
export function ResetPasswordDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  useEffect(() => {
    setPassword('');
    reset.reset();
  }, [user?.id]);

  return (
    <Dialog
      open={!!user}
      title={`New password for ${user?.email ?? ''}`}
      onClose={onClose}
      testId="reset-password-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={password.length < 10 || reset.isPending}
            onClick={() =>
              user &&
              reset.mutate(
                { id: user.id, password },
                {
                  onSuccess: () => {
                    toast(`Password changed for ${user.email}`);
                    onClose();
                  },
                },
              )
            }
            data-testid="reset-password-submit"
          >
            {reset.isPending ? 'Saving…' : 'Set password'}
          </button>
        </>
      }
    >
      <div className="stack">
        <label className="field">
          <span className="field-label">New password</span>
          <input type="password" autoComplete="new-password" value={password} placeholder="at least 10 characters" onChange={(e) => setPassword(e.target.value)} data-testid="reset-password-input" />
          <span className="field-hint">Their sessions end; they sign in again with this password.</span>
        </label>
        {reset.isError && <ErrorBanner error={reset.error} />}
      </div>
    </Dialog>
  );
}
