import { withinStep } from '../lib/problemPaths';
import type { Problem } from '../store/types';
import { editorStore } from '../store/useEditorStore';

/** Every validation problem; clicking one selects the step it is about. */
export function ProblemsList({ problems }: { problems: Problem[] }) {
  if (!problems.length) {
    return (
      <p className="all-good" data-testid="problems-none">
        <span className="check-mark" aria-hidden="true">✓</span> No problems. This flow can be published.
      </p>
    );
  }
  return (
    <ul className="problem-list" data-testid="problems-list">
      {problems.map((p, i) => (
        <li key={i} className={`problem problem-${p.blocks ?? 'publish'}`} data-testid="problem">
          {p.nodeId ? (
            <button type="button" className="link" onClick={() => editorStore.getState().select(p.nodeId!)}>
              <code>{p.nodeId}</code>
            </button>
          ) : null}{' '}
          {p.nodeId ? withinStep(p.message, p.path) : p.message}
          {p.blocks === 'save' && <span className="problem-tag">blocks saving</span>}
        </li>
      ))}
    </ul>
  );
}
