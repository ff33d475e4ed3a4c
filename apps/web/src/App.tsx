import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './components/AppShell';
import { NotFoundPage } from './components/NotFoundPage';
import { RouteError } from './components/RouteError';
import { LoginPage } from './features/auth/components/LoginPage';
import { RequireAuth } from './features/auth/components/RequireAuth';
import { BoardPage } from './features/board/components/BoardPage';
import { ContactPage } from './features/contacts/components/ContactPage';
import { ContactsPage } from './features/contacts/components/ContactsPage';
import { CredentialsPage } from './features/credentials/components/CredentialsPage';
import { DealPage } from './features/deals/components/DealPage';
import { FlowListPage } from './features/flows/components/FlowListPage';
import { IntakePage } from './features/intake/components/IntakePage';
import { ReviewsPage } from './features/reviews/components/ReviewsPage';
import { RunsPage } from './features/runs/components/RunsPage';
import { IntakesPage } from './features/intakes/components/IntakesPage';
import { OutboxPage } from './features/outbox/components/OutboxPage';
import { SettingsPage } from './features/settings/components/SettingsPage';
import { MyTasksPage } from './features/tasks/components/MyTasksPage';

/** A data router: the editor's unsaved-changes blocker needs one. The canvas pages load on demand. */
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  { path: '/intake/:token', element: <IntakePage />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <Navigate to="/flows" replace /> },
          { path: '/flows', element: <FlowListPage /> },
          { path: '/flows/:id', lazy: () => import('./features/editor/components/EditorPage').then((m) => ({ Component: m.EditorPage })) },
          { path: '/runs', element: <RunsPage /> },
          { path: '/runs/:id', lazy: () => import('./features/runs/components/RunDetailPage').then((m) => ({ Component: m.RunDetailPage })) },
          { path: '/reviews', element: <ReviewsPage /> },
          { path: '/board', element: <BoardPage /> },
          { path: '/deals/:id', element: <DealPage /> },
          { path: '/tasks', element: <MyTasksPage /> },
          { path: '/contacts', element: <ContactsPage /> },
          { path: '/contacts/:id', element: <ContactPage /> },
          { path: '/intakes', element: <IntakesPage /> },
          { path: '/outbox', element: <OutboxPage /> },
          { path: '/credentials', element: <CredentialsPage /> },
          { path: '/settings', element: <SettingsPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
