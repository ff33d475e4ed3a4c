import { NavLink } from 'react-router';
import { useLogout } from '../features/auth/hooks/useLogout';
import { useMe } from '../features/auth/hooks/useMe';
import { usePendingReviewCount } from '../features/reviews/hooks/useReviews';
import { useMyOpenTaskCount } from '../features/tasks/hooks/useTasks';

const links = [
  { to: '/flows', label: 'Flows', testId: 'nav-flows' },
  { to: '/runs', label: 'Runs', testId: 'nav-runs' },
  { to: '/reviews', label: 'Reviews', testId: 'nav-reviews' },
  { to: '/board', label: 'Board', testId: 'nav-board' },
  { to: '/tasks', label: 'My tasks', testId: 'nav-my-tasks' },
  { to: '/contacts', label: 'Contacts', testId: 'nav-contacts' },
  { to: '/intakes', label: 'Intakes', testId: 'nav-intakes' },
  { to: '/outbox', label: 'Outbox', testId: 'nav-outbox' },
  { to: '/credentials', label: 'Credentials', testId: 'nav-credentials' },
  { to: '/settings', label: 'Settings', testId: 'nav-settings' },
];

export function TopNav() {
  const me = useMe();
  const logout = useLogout();
  const pending = usePendingReviewCount();
  const tasks = useMyOpenTaskCount(!!me.data);

  return (
    <nav className="topnav" aria-label="Main">
      <NavLink to="/flows" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Handoff
      </NavLink>
      <ul className="topnav-links">
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} data-testid={l.testId}>
              {l.label}
              {l.to === '/reviews' && pending > 0 && (
                <span className="count" data-testid="nav-reviews-count">
                  {pending}
                </span>
              )}
              {l.to === '/tasks' && tasks.open > 0 && (
                <span className={tasks.overdue ? 'count' : 'count count-quiet'} title={tasks.overdue ? `${tasks.overdue} overdue` : undefined} data-testid="nav-tasks-count">
                  {tasks.open}
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
      <div className="topnav-user">
        <span className="user-email" title={me.data?.email} data-testid="nav-user-email">
          {me.data?.email}
        </span>
        <span className="role" data-testid="nav-user-role">
          {me.data?.role}
        </span>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => logout.mutate()} data-testid="logout">
          Sign out
        </button>
      </div>
    </nav>
  );
}
