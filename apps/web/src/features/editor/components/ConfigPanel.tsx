import { unplacedProblems, withinStep } from '../lib/problemPaths';
import { definitionOf, formFieldsOf } from '../registry';
import { editorStore, useEditor } from '../store/useEditorStore';
import { ConfigForm } from './ConfigForm';
import { FieldDataContext } from './fields/data/FieldDataContext';
import type { SavedHook } from '../lib/webhookUrl';
import { iconOfNode } from '../lib/nodeIcon';
import { KindIcon } from './KindIcon';
import { TriggerPanel } from './TriggerPanel';

const NO_PROBLEMS: never[] = [];

export function ConfigPanel({ nodeId, flowId, savedHook }: { nodeId: string; flowId: string; savedHook: SavedHook }) {
  const node = useEditor((s) => s.nodes.find((n) => n.id === nodeId));
  const problems = useEditor((s) => s.problemsByNode[nodeId]) ?? NO_PROBLEMS;
  const readOnly = useEditor((s) => s.readOnly);
  if (!node) return null;
  const def = definitionOf(node.data.nodeType);
  const general = unplacedProblems(problems, formFieldsOf(node.data.nodeType).map((f) => f.key));

  return (
    <div className="panel-section" data-testid="config-panel" data-node-id={nodeId}>
      <header className="panel-head">
        <KindIcon kind={def?.kind} icon={iconOfNode(node.data.nodeType, node.data.config)} />
        <div className="panel-head-text">
          <h2>{def?.label ?? node.data.nodeType}</h2>
          <code className="muted small" data-testid="config-node-id">{nodeId}</code>
        </div>
        <button type="button" className="icon-btn" aria-label="Close" onClick={() => editorStore.getState().select(null)} data-testid="config-close">
          ×
        </button>
      </header>
      {def?.description && <p className="panel-desc">{def.description}</p>}
      {/* Keyed so a set-up message never carries over to another trigger; prefixed, as ConfigForm below is keyed by the bare id. */}
      {def?.trigger && <TriggerPanel key={`trigger:${nodeId}`} def={def} config={node.data.config} flowId={flowId} saved={savedHook} />}
      {general.length > 0 && (
        <ul className="problem-list compact" data-testid="config-problems">
          {general.map((p, i) => (
            <li key={i} className={`problem problem-${p.blocks ?? 'publish'}`}>
              {withinStep(p.message, p.path)}
            </li>
          ))}
        </ul>
      )}
      {def ? (
        // A trigger's own settings are not rendered over run data (it starts the run): no picker there.
        <FieldDataContext.Provider value={def.kind === 'trigger' ? null : { nodeId, flowId }}>
          <ConfigForm
            key={nodeId}
            type={node.data.nodeType}
            config={node.data.config}
            problems={problems}
            readOnly={readOnly}
            onChange={(config, coalesceKey) => editorStore.getState().updateConfig(nodeId, config, coalesceKey)}
          />
        </FieldDataContext.Provider>
      ) : (
        <p className="banner banner-error">This step type is not known to this version of Handoff. Remove it or import a matching version.</p>
      )}
      <label className="field">
        <span className="field-label">
          Name on the canvas <span className="field-optional">optional</span>
        </span>
        <input
          value={typeof node.data.extra?.label === 'string' ? node.data.extra.label : ''}
          placeholder={def?.label}
          readOnly={readOnly}
          maxLength={200}
          onChange={(e) => editorStore.getState().setLabel(nodeId, e.target.value)}
          data-testid="config-label"
        />
      </label>
      {!readOnly && (
        <div className="panel-foot">
          <button type="button" className="btn btn-ghost btn-danger-text btn-small" onClick={() => editorStore.getState().remove({ nodes: [nodeId] })} data-testid="node-delete">
            Delete step
          </button>
        </div>
      )}
    </div>
  );
}
