import { Outlet } from 'react-router';
import { useMe } from '../features/auth/hooks/useMe';
import { useCrmStream } from '../features/crm/hooks/useCrmStream';
import { useReviewStream } from '../features/reviews/hooks/useReviews';
import { TopNav } from './TopNav';

export function AppShell() {
  useCrmStream();
  useReviewStream(!!useMe().data);
  return (
    <div className="shell">
      <TopNav />
      <div className="shell-main">
        <Outlet />
      </div>
    </div>
  );
}
