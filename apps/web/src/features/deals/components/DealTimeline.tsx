import type { TimelineEntry } from '../../../api/types';
import { orderTimeline } from '../lib/timeline';
import { TimelineItem } from './TimelineItem';

/** The deal's one story, newest first: what people, flows and the client did to it. */
export function DealTimeline({ entries, labelOf }: { entries: readonly TimelineEntry[]; labelOf: (stage: string) => string }) {
  if (entries.length === 0) return <p className="muted">Nothing has happened to this deal yet.</p>;
  return (
    <ol className="tl" data-testid="deal-timeline">
      {orderTimeline(entries).map((e, i) => (
        <TimelineItem key={`${e.kind}-${e.at}-${i}`} entry={e} labelOf={labelOf} />
      ))}
    </ol>
  );
}
