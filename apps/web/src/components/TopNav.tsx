import { NavLink } from 'react-router';
import { useLogout } from '../features/auth/hooks/useLogout';
import { useMe } from '../features/auth/hooks/useMe';
import { usePendingReviewCount } from '../features/reviews/hooks/useReviews';

const links = [
  { to: '/flows', label: 'Flows' },
  { to: '/runs', label: 'Runs' },
  { to: '/reviews', label: 'Reviews' },
  { to: '/board', label: 'Board' },
];

export function TopNav() {
  const me = useMe();
  const logout = useLogout();
  const pending = usePendingReviewCount();

  return (
    <nav className="topnav" aria-label="Main">
      <NavLink to="/flows" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Handoff
      </NavLink>
      <ul className="topnav-links">
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} data-testid={`nav-${l.label.toLowerCase()}`}>
              {l.label}
              {l.to === '/reviews' && pending > 0 && (
                <span className="count" data-testid="nav-reviews-count">
                  {pending}
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
      <div className="topnav-user">
        <span className="user-email" data-testid="nav-user-email">
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
