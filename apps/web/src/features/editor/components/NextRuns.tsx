import type { NodeDefinition } from '@handoff/nodes';
import { useEffect, useReducer } from 'react';
import { formatFireTimes, nextRunsOf } from '../lib/nextRuns';

const COUNT = 5;
// A tick is due at the first listed time; checking at least hourly keeps a long wait honest too.
const MAX_WAIT_MS = 60 * 60 * 1000;

/** The next fire times of a scheduled trigger, computed here from its unsaved config as it is edited. */
export function NextRuns({ def, config, live }: { def: NodeDefinition; config: Record<string, unknown>; live: 'unpublished' | 'active' | 'paused' }) {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const now = new Date();
  const next = nextRunsOf(def, config, now, COUNT);
  const first = next?.ok ? next.times[0].getTime() : null;

  // Drop a time once it has passed, so the list never shows a run that already happened.
  useEffect(() => {
    if (first === null) return;
    const t = setTimeout(refresh, Math.min(Math.max(first - Date.now() + 50, 250), MAX_WAIT_MS));
    return () => clearTimeout(t);
  }, [first]);

  if (!next) return null;
  return (
    <div className="callout" data-testid="next-runs-box">
      <div className="callout-title">Next runs</div>
      {live !== 'active' && (
        <p className="small" data-testid="next-runs-idle">
          {live === 'paused' ? 'The flow is paused: nothing fires until you resume it. Then:' : 'Not published yet: nothing fires until you publish. Then:'}
        </p>
      )}
      {next.ok ? (
        <ol className="fire-times" data-testid="next-fire-times">
          {formatFireTimes(next.times, next.timezone, now).map((text, i) => (
            <li key={i}>
              <time dateTime={next.times[i].toISOString()} title={`${next.times[i].toLocaleString()} your time`}>
                {text}
              </time>
            </li>
          ))}
        </ol>
      ) : (
        <p className="small fire-times-none" data-testid="next-fire-times-invalid" title={next.reason}>
          {/* The field's own error says why; repeating it here would only double the red text. */}
          {next.field ? `No upcoming runs: fix the ${next.field} field below.` : `No upcoming runs: ${next.reason.replace(/\.$/, '')}.`}
        </p>
      )}
    </div>
  );
}
