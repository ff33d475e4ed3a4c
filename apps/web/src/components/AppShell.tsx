import { Outlet } from 'react-router';
import { useCrmStream } from '../features/crm/hooks/useCrmStream';
import { TopNav } from './TopNav';

export function AppShell() {
  useCrmStream();
  return (
    <div className="shell">
      <TopNav />
      <div className="shell-main">
        <Outlet />
      </div>
    </div>
  );
}
