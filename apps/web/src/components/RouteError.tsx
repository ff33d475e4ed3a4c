import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unexpected error';
  return (
    <main className="page">
      <div className="banner banner-error" role="alert">
        <div className="banner-body">
          <strong>Something went wrong.</strong>
          <span>{message}</span>
        </div>
        <Link className="btn btn-small" to="/flows" reloadDocument>
          Reload
        </Link>
      </div>
    </main>
  );
}
