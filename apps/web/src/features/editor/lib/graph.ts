/** Minimal graph shapes so these helpers work on both React Flow state and flow documents. */
export interface GraphEdge {
  source: string;
  target: string;
  sourceHandle?: string | null;
}

/** True if `target` can already reach `source`, i.e. adding source→target would close a cycle. */
export function wouldCreateCycle(edges: readonly GraphEdge[], source: string, target: string): boolean {
  if (source === target) return true;
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of out.get(id) ?? []) stack.push(next);
  }
  return false;
}

export interface ConnectionCheck {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
}

export interface ConnectionContext {
  edges: readonly GraphEdge[];
  /** Node kind by id (`trigger` nodes take no incoming edges). */
  kindOf: (nodeId: string) => string | undefined;
  /** Declared output ports by node id. */
  portsOf: (nodeId: string) => readonly string[] | undefined;
}

/** Why a connection is refused, or null when it is allowed. */
export function connectionProblem(c: ConnectionCheck, ctx: ConnectionContext): string | null {
  if (!c.source || !c.target) return 'Incomplete connection';
  if (c.source === c.target) return 'A step cannot connect to itself';
  const targetKind = ctx.kindOf(c.target);
  if (targetKind === undefined || ctx.kindOf(c.source) === undefined) return 'Unknown step';
  if (targetKind === 'trigger') return 'Triggers start a flow; nothing can connect into them';
  const ports = ctx.portsOf(c.source) ?? [];
  if (!c.sourceHandle || !ports.includes(c.sourceHandle)) return 'Unknown output port';
  if (ctx.edges.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? null) === c.sourceHandle)) {
    return 'Already connected';
  }
  if (wouldCreateCycle(ctx.edges, c.source, c.target)) return 'That would create a loop';
  return null;
}
