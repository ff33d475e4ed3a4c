import { type FlowDocument, hasTemplate, type Problem } from '@handoff/nodes';

/** Nodes whose `stage` names a stage of the built-in CRM, when it does. */
function builtinStageOf(node: FlowDocument['nodes'][number]): string | null {
  const config = (node.config ?? {}) as { stage?: unknown; connection?: unknown };
  if (typeof config.stage !== 'string') return null;
  if (node.type === 'crm.updateDeal' && (config.connection ?? 'builtin') === 'builtin') return config.stage;
  if (node.type === 'crm.trigger') return config.stage;
  return null;
}

/**
 * A stage typed in plain text that the built-in CRM does not have: the run would fail on it at
 * the first event (a probe typed "new"). Templates are left to run time; an empty stage is
 * the node's own rule (validate-flow).
 */
export function stageProblems(doc: FlowDocument, stages: readonly string[]): Problem[] {
  return doc.nodes.flatMap((node) => {
    const stage = builtinStageOf(node)?.trim();
    if (!stage || hasTemplate(stage) || stages.includes(stage)) return [];
    return [
      {
        code: 'crm.unknownStage',
        nodeId: node.id,
        path: 'config.stage',
        blocks: 'publish' as const,
        message: `Step "${node.id}": "${stage}" is not a stage of the built-in CRM; the stages are ${stages.join(', ')}`,
      },
    ];
  });
}
