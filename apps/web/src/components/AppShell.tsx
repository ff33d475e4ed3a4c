import { Outlet } from 'react-router';
import { useMe } from '../features/auth/hooks/useMe';
import { TopNav } from './TopNav';
import { useAppStream } from './useAppStream';

export function AppShell() {
  useAppStream(!!useMe().data);
  return (
    <div className="shell">
      <TopNav />
      <div className="shell-main">
        <Outlet />
      </div>
    </div>
  );
}
