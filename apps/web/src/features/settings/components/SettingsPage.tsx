import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { useMe } from '../../auth/hooks/useMe';
import { TokensSection } from './TokensSection';
import { UsersSection } from './UsersSection';

/** Users (admins only) and API tokens (everyone's own). */
export function SettingsPage() {
  const me = useMe();
  if (!me.data) return <Spinner label="Loading…" />;
  const admin = me.data.role === 'admin';
  return (
    <main className="page">
      <PageHeader title="Settings" subtitle={admin ? 'Who can sign in, and the tokens scripts use.' : 'Your API tokens for scripts.'} />
      {admin && <UsersSection meId={me.data.id} />}
      <TokensSection me={me.data} />
    </main>
  );
}
