import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { withinStep } from '../lib/problemPaths';
import { definitionOf } from '../registry';
import { INPUT_HANDLE } from '../store/document';
import type { EditorNode } from '../store/types';
import { editorStore, useEditor } from '../store/useEditorStore';
import { iconOfNode } from '../lib/nodeIcon';
import { KindIcon } from './KindIcon';

const SUMMARY_KEYS = ['condition', 'stage', 'channel', 'match', 'url', 'duration', 'owner', 'cron', 'schedule'];

function summaryOf(config: Record<string, unknown>): string | null {
  for (const k of SUMMARY_KEYS) {
    const v = config[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** The one generic node: a card with an input handle (unless a trigger) and a handle per declared port. */
function FlowNodeComponent({ id, data, selected }: NodeProps<EditorNode>) {
  const def = definitionOf(data.nodeType);
  const problems = useEditor((s) => s.problemsByNode[id]);
  const warnings = useEditor((s) => s.warningsByNode[id]);
  const step = useEditor((s) => s.overlay?.[id]);
  const watching = useEditor((s) => s.overlay !== null);
  const canAdd = useEditor((s) => !s.readOnly) && !watching;
  // A joined string keeps the selector's result comparable, so other nodes' edits don't re-render this one.
  const usedPorts = useEditor((s) => s.edges.filter((e) => e.source === id).map((e) => e.sourceHandle ?? 'out').join('\n')).split('\n');
  const pickerPort = useEditor((s) => (s.picker?.nodeId === id ? s.picker.port : null));
  const ports = def?.ports ?? [];
  const isTrigger = def?.kind === 'trigger';
  const summary = summaryOf(data.config);
  const labelledPorts = ports.length > 1 || (ports.length === 1 && ports[0] !== 'out');

  const classes = ['fnode', `kind-${def?.kind ?? 'unknown'}`];
  if (selected) classes.push('is-selected');
  if (problems?.length && !watching) classes.push('has-problem');
  if (step) classes.push(`step-${step.status}`);
  else if (watching) classes.push('step-none');

  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`} data-node-type={data.nodeType} data-status={step?.status}>
      {!isTrigger && (
        <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="fhandle fhandle-in" data-testid={`port-${id}-${INPUT_HANDLE}`} />
      )}
      <div className="fnode-head">
        <KindIcon kind={def?.kind} icon={iconOfNode(data.nodeType, data.config)} />
        <div className="fnode-titles">
          <div className="fnode-label">{(typeof data.extra?.label === 'string' && data.extra.label) || def?.label || data.nodeType}</div>
          <div className="fnode-id">{id}</div>
        </div>
        {step && (
          <span className={`step-dot step-dot-${step.status}`} title={step.status} data-testid={`node-status-${id}`} />
        )}
      </div>
      {summary && <div className="fnode-summary" title={summary}>{summary}</div>}
      {!def && <div className="fnode-problem">Unknown node type “{data.nodeType}”</div>}
      <div className={labelledPorts ? 'fnode-ports' : 'fnode-ports fnode-ports-single'}>
        {ports.map((port) => (
          <div key={port} className={step?.port === port ? 'fnode-port is-taken' : 'fnode-port'}>
            {labelledPorts && <span className="fnode-port-label">{port}</span>}
            <Handle type="source" position={Position.Right} id={port} className={`fhandle fhandle-out port-${port}`} data-testid={`port-${id}-${port}`} />
            {canAdd && (
              <button
                type="button"
                className={`fnode-add nodrag nopan${usedPorts.includes(port) ? ' is-connected' : ''}${pickerPort === port ? ' is-open' : ''}`}
                title={`Add the next step after ${port === 'out' ? 'this step' : `“${port}”`}`}
                aria-label={`Add a step after ${id}${port === 'out' ? '' : ` (${port})`}`}
                aria-haspopup="dialog"
                aria-expanded={pickerPort === port}
                onClick={(e) => {
                  e.stopPropagation();
                  const s = editorStore.getState();
                  if (pickerPort === port) s.closePicker();
                  else s.openPicker(id, port);
                }}
                data-testid={`add-step-${id}-${port}`}
              >
                +
              </button>
            )}
          </div>
        ))}
      </div>
      {problems?.length && !watching ? (
        <div className="fnode-problem" data-testid={`node-problem-${id}`}>
          {withinStep(problems[0].message, problems[0].path)}
          {problems.length > 1 && <span className="muted"> (+{problems.length - 1} more)</span>}
        </div>
      ) : null}
      {warnings?.length && !watching ? (
        <div className="fnode-warning" data-testid={`node-warning-${id}`} title={warnings.map((w) => w.message).join('\n')}>
          {warnings[0].message}
          {warnings.length > 1 && <span className="muted"> (+{warnings.length - 1} more)</span>}
        </div>
      ) : null}
    </div>
  );
}

export const FlowNode = memo(FlowNodeComponent);
