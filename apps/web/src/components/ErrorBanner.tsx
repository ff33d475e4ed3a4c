import { ApiError, errorMessage, type ApiProblem } from '../api/client';

interface Props {
  error?: unknown;
  title?: string;
  problems?: ApiProblem[];
  onRetry?: () => void;
}

/** Shows an API error's `message` and, when present, its `problems`. */
export function ErrorBanner({ error, title, problems, onRetry }: Props) {
  const list = problems ?? (error instanceof ApiError ? error.problems : []);
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <div className="banner-body">
        {title && <strong>{title}</strong>}
        {error !== undefined && <span>{errorMessage(error)}</span>}
        {list.length > 0 && (
          <ul className="banner-list">
            {list.map((p, i) => (
              <li key={i}>
                {p.nodeId && <code>{p.nodeId}</code>} {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
