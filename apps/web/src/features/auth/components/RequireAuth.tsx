import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { useMe } from '../hooks/useMe';
import { useUnauthorizedRedirect } from '../hooks/useUnauthorizedRedirect';

/** Renders the signed-in part of the app, or sends the user to /login and back afterwards. */
export function RequireAuth() {
  useUnauthorizedRedirect();
  const me = useMe();
  const location = useLocation();

  if (me.isPending) return <div className="center-screen"><Spinner /></div>;
  if (me.isError) {
    return (
      <div className="center-screen">
        <ErrorBanner title="Handoff is not answering." error={me.error} onRetry={() => me.refetch()} />
      </div>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
