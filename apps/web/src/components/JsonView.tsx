import { prettyJson } from '../lib/format';

export function JsonView({ value, testId, empty = 'Nothing' }: { value: unknown; testId?: string; empty?: string }) {
  if (value === undefined || value === null) return <p className="muted small">{empty}</p>;
  return (
    <pre className="json" data-testid={testId}>
      {prettyJson(value)}
    </pre>
  );
}
