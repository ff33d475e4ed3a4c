import { Link } from 'react-router';
import { EmptyState } from './EmptyState';

export function NotFoundPage() {
  return (
    <main className="page">
      <EmptyState title="Page not found" action={<Link className="btn btn-primary" to="/flows">Go to flows</Link>}>
        The address may be mistyped, or the item was deleted.
      </EmptyState>
    </main>
  );
}
