import { Link } from 'react-router';
import type { CrmActor } from '../../../api/types';
import { shortId } from '../../../lib/format';
import { actorLabel, actorText } from '../lib/timeline';

/** "by sam@example.com", "by the client", "by flow Payment to onboarding (run 3f2a…)" with the run linked. */
export function ActorText({ by }: { by: CrmActor }) {
  return (
    <span className="tl-actor" title={actorLabel(by)} data-testid="timeline-actor">
      {actorText(by)}
      {by.type === 'run' && (
        <>
          {' (run '}
          <Link to={`/runs/${by.id}`} data-testid="timeline-actor-run">
            {shortId(by.id)}
          </Link>
          {')'}
        </>
      )}
    </span>
  );
}
