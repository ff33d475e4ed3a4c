import { Outlet } from 'react-router';
import { TopNav } from './TopNav';

export function AppShell() {
  return (
    <div className="shell">
      <TopNav />
      <div className="shell-main">
        <Outlet />
      </div>
    </div>
  );
}
