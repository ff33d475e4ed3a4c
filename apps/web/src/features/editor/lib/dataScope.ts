import { ancestorIndex, configPaths, declaredStepOutput, declaredTriggerData, getNodeType, isTrigger, missingPaths, splitPath, type MissingPath } from '@handoff/nodes';
import type { FlowDoc, Problem } from '../store/types';

/** `GET /api/flows/:id/sample`: the newest run's trigger data and each step's newest output. */
export interface RunData {
  run: { id: string; status: string; test: boolean; startedAt: string | null } | null;
  trigger: unknown;
  steps: Record<string, { output: unknown; runId: string }>;
}

/** Where the data shown for `trigger` or a step came from. */
export type DataSource = 'run' | 'test run' | 'sample' | 'none';

export interface UpstreamStep {
  id: string;
  type: string;
  label: string;
  data: unknown;
  source: DataSource;
  /** The trigger is a step too (`steps.<trigger id>` is its output, the same as `trigger`). */
  trigger: boolean;
}

/** What a node's expressions can read, with sample values: the picker's tree and the path check's truth. */
export interface SampleScope {
  scope: { trigger: unknown; steps: Record<string, unknown>; run: unknown; flow: unknown; node: unknown };
  triggerSource: DataSource;
  /** Steps that run before this one, nearest first, the trigger included (flagged). */
  upstream: UpstreamStep[];
}

// A declared sample is built afresh on each call (a Stripe sample gets a new event id): keep one per
// trigger config, so previews and checks do not change under the user as they type elsewhere.
const declared = new Map<string, unknown>();
function declaredSample(type: string, config: Record<string, unknown>): unknown {
  const key = `${type}:${JSON.stringify(config)}`;
  if (!declared.has(key)) {
    if (declared.size > 50) declared.clear();
    declared.set(key, declaredTriggerData(getNodeType(type), config));
  }
  return declared.get(key);
}

const hasData = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v).length === 0);

function labelOf(n: FlowDoc['nodes'][number]): string {
  return (typeof n.label === 'string' && n.label) || getNodeType(n.type)?.label || n.type;
}

type TriggerData = { data: unknown; source: DataSource };

/** `trigger` for every step of the flow: the newest run's trigger data, else the trigger type's declared sample. */
function triggerDataOf(doc: FlowDoc, runData: RunData | null): TriggerData {
  if (runData?.run && hasData(runData.trigger)) return { data: runData.trigger, source: runData.run.test ? 'test run' : 'run' };
  const trigger = doc.nodes.find((n) => isTrigger(n.type));
  const data = trigger ? declaredSample(trigger.type, trigger.config) : undefined;
  return hasData(data) ? { data, source: 'sample' } : { data: undefined, source: 'none' };
}

/**
 * The sample data `nodeId` sees: `trigger` from the newest run (test or real) of this flow, else
 * the trigger type's declared sample; `steps` from the newest output of each earlier step, else
 * its type's declared output sample, else nothing. `run`, `flow` and `node` have their fixed shapes.
 */
export function sampleScopeFor(doc: FlowDoc, nodeId: string, runData: RunData | null, flowId = ''): SampleScope {
  return scopeOf(flowIndex(doc, runData), nodeId, flowId);
}

/** What every step's scope shares, computed once per flow. */
interface FlowIndex {
  doc: FlowDoc;
  runData: RunData | null;
  trigger: TriggerData;
  byId: Map<string, FlowDoc['nodes'][number]>;
  ancestors: (nodeId: string) => string[];
  /** What a step outputs as far as the editor knows: the newest run's, else its type's declared sample (memoized). */
  stepData: (nodeId: string) => { data: unknown; source: DataSource };
}

function flowIndex(doc: FlowDoc, runData: RunData | null): FlowIndex {
  const trigger = triggerDataOf(doc, runData);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const fromRun: DataSource = runData?.run?.test ? 'test run' : 'run';
  const known = new Map<string, { data: unknown; source: DataSource }>();
  const stepData = (id: string) => {
    let hit = known.get(id);
    if (!hit) {
      const node = byId.get(id);
      const got = runData?.steps[id];
      const declared = node && !got && !isTrigger(node.type) ? declaredStepOutput(getNodeType(node.type), node.config) : undefined;
      if (got) hit = { data: got.output, source: fromRun };
      else if (node && isTrigger(node.type)) hit = trigger;
      else if (declared !== undefined) hit = { data: declared, source: 'sample' };
      else hit = { data: undefined, source: 'none' };
      known.set(id, hit);
    }
    return hit;
  };
  return { doc, runData, trigger, byId, ancestors: ancestorIndex(doc), stepData };
}

function scopeOf({ doc, runData, trigger, byId, ancestors, stepData }: FlowIndex, nodeId: string, flowId: string): SampleScope {
  const upstream = ancestors(nodeId)
    .map((id) => byId.get(id))
    .filter((n): n is FlowDoc['nodes'][number] => !!n)
    .map((n): UpstreamStep => ({ id: n.id, type: n.type, label: labelOf(n), trigger: isTrigger(n.type), ...stepData(n.id) }));
  const self = byId.get(nodeId);
  return {
    scope: {
      trigger: trigger.data,
      steps: Object.fromEntries(upstream.filter((s) => s.source !== 'none').map((s) => [s.id, s.data])),
      run: { id: runData?.run?.id ?? 'run_sample', flowId, version: 1, test: runData?.run?.test ?? true, startedAt: runData?.run?.startedAt ?? '2026-12-01T09:00:00.000Z' },
      flow: { id: flowId, name: doc.name },
      node: { id: nodeId, type: self?.type ?? '' },
    },
    triggerSource: trigger.source,
    upstream,
  };
}

function missingIn(index: FlowIndex, node: FlowDoc['nodes'][number]): MissingPath[] {
  const refs = configPaths(getNodeType(node.type), node.config);
  const { trigger, stepData } = index;
  // With no trigger data at all (a manual start without a sample) trigger paths are not judged.
  const judged = trigger.source === 'none' ? refs.filter((r) => splitPath(r.path)[0] !== 'trigger') : refs;
  if (!judged.length) return [];
  // Every step is checked on each edit: walk the graph only when a path reads `steps`, and keep
  // to ids and data (the panel's richer SampleScope is built for one step at a time).
  const upstream = judged.some((r) => splitPath(r.path)[0] === 'steps') ? index.ancestors(node.id) : [];
  const steps: Record<string, unknown> = {};
  for (const id of upstream) {
    const known = stepData(id);
    if (known.source !== 'none') steps[id] = known.data;
  }
  const scope = { trigger: trigger.data, steps, run: RUN_SHAPE, flow: { id: '', name: index.doc.name }, node: { id: node.id, type: node.type } };
  return missingPaths(judged, scope, { upstream, knownSteps: Object.keys(steps) });
}

/** What `run` holds (ExprScope), for checking paths such as `run.id`. */
const RUN_SHAPE = { id: '', flowId: '', version: 1, test: true, startedAt: '' };

/** The paths `nodeId`'s config reads that its sample data lacks. */
export function missingPathsOf(doc: FlowDoc, nodeId: string, runData: RunData | null): MissingPath[] {
  const node = doc.nodes.find((n) => n.id === nodeId);
  return node ? missingIn(flowIndex(doc, runData), node) : [];
}

/** Unknown-path warnings for every node, as problems that block nothing (docs/editor.md "Data fields"). */
export function dataWarnings(doc: FlowDoc, runData: RunData | null): Problem[] {
  const index = flowIndex(doc, runData);
  return doc.nodes.flatMap((n) =>
    missingIn(index, n).map((m) => ({ code: 'data.unknownPath', nodeId: n.id, path: `config.${m.field}`, message: m.message })),
  );
}
