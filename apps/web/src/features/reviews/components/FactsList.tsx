import { formatMoney } from '../../../lib/format';
import { humanize } from '../../editor/lib/schemaFields';

function show(key: string, value: unknown, facts: Record<string, unknown>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'amount' && typeof value === 'number') return formatMoney(value, typeof facts.currency === 'string' ? facts.currency : null);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const FIRST = ['status', 'amount', 'name', 'email', 'customerId', 'objectType', 'objectId', 'eventType', 'eventId'];
const SKIP = new Set(['currency', 'livemode']);

/** The payment facts a review was opened with, the important ones first. */
export function FactsList({ facts }: { facts: Record<string, unknown> }) {
  const keys = [...FIRST.filter((k) => k in facts), ...Object.keys(facts).filter((k) => !FIRST.includes(k) && !SKIP.has(k))];
  return (
    <dl className="facts facts-grid" data-testid="review-facts">
      {keys.map((k) => (
        <div key={k}>
          <dt>{humanize(k)}</dt>
          <dd className={k.endsWith('Id') ? 'mono-soft' : undefined}>{show(k, facts[k], facts)}</dd>
        </div>
      ))}
    </dl>
  );
}
