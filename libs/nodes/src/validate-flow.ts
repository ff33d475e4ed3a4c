import { z } from 'zod';
import { checkExpression, checkTemplate, hasTemplate } from './expression';
import { flowDocumentSchema, isCredentialRef, type FlowDocument, type FlowNode } from './flow-document';
import { findCycles, reachableFrom, triggerNodes } from './graph';
import type { NodeDefinition } from './define';
import { describeIssue, formatPath } from './issues';
import { getNodeType, isTrigger, nodeTypes } from './registry';

/**
 * One thing wrong with a flow document.
 *
 * `blocks: 'save'` — structural: the document cannot even be stored as a draft, because the
 * editor and engine could not make sense of it: it does not match the document schema,
 * a node has an unknown type, ids repeat, an edge points at a missing node or leaves from a
 * port its node does not have, the graph loops, or an edge goes into a trigger.
 *
 * `blocks: 'publish'` — the draft is a coherent graph but not runnable yet: not exactly one
 * trigger, a node config failing its schema, an expression or `{{ }}` template that does not
 * parse, or a node the trigger cannot reach. Drafts with these are saved so work is not lost.
 */
export interface Problem {
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  path?: string;
  blocks: 'save' | 'publish';
}

export interface ValidationResult {
  /** True only when there is no problem at all, of either kind. */
  ok: boolean;
  problems: Problem[];
}

/** Problems that stop `action`. Everything that blocks saving also blocks publishing. */
export function problemsBlocking(problems: readonly Problem[], action: 'save' | 'publish'): Problem[] {
  return action === 'publish' ? [...problems] : problems.filter((p) => p.blocks === 'save');
}

export function validateFlow(doc: unknown): ValidationResult {
  const parsed = flowDocumentSchema.safeParse(doc);
  // A document that does not match the schema cannot be walked reliably: report only that.
  const problems = parsed.success ? [...structureProblems(parsed.data), ...publishProblems(parsed.data)] : schemaProblems(doc, parsed.error);
  return { ok: problems.length === 0, problems };
}

function schemaProblems(doc: unknown, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const nodeId = nodeIdAt(doc, issue.path);
    const where = path === '' ? 'The flow document' : `The flow document's ${path}`;
    return { code: 'document.invalid', message: `${where} ${describeIssue(issue, doc)}`, path, blocks: 'save', ...(nodeId ? { nodeId } : {}) };
  });
}

function nodeIdAt(doc: unknown, path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  const nodes = (doc as { nodes?: unknown }).nodes;
  const node: unknown = Array.isArray(nodes) ? nodes[path[1]] : undefined;
  const id = typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

function structureProblems(doc: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  const save = (p: Omit<Problem, 'blocks'>) => problems.push({ ...p, blocks: 'save' });
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));

  for (const id of duplicates(doc.nodes.map((n) => n.id))) {
    save({ code: 'node.duplicateId', nodeId: id, message: `Several steps have the id "${id}"; each step needs its own id` });
  }
  for (const id of duplicates(doc.edges.map((e) => e.id))) {
    save({ code: 'edge.duplicateId', edgeId: id, message: `Several connections have the id "${id}"; each connection needs its own id` });
  }
  for (const n of doc.nodes) {
    if (!getNodeType(n.type)) {
      save({ code: 'node.unknownType', nodeId: n.id, path: 'type', message: `Step "${n.id}" has type "${n.type}", which is not a Handoff node type` });
    }
  }
  for (const e of doc.edges) {
    const source = nodes.get(e.source);
    const target = nodes.get(e.target);
    if (!source) save({ code: 'edge.unknownSource', edgeId: e.id, message: `Edge ${e.id} starts at "${e.source}", but there is no step with that id` });
    if (!target) save({ code: 'edge.unknownTarget', edgeId: e.id, message: `Edge ${e.id} goes to "${e.target}", but there is no step with that id` });
    const def = source && getNodeType(source.type);
    if (def && !def.ports.includes(e.sourcePort)) {
      save({
        code: 'edge.unknownPort',
        edgeId: e.id,
        nodeId: e.source,
        message: `Edge ${e.id} leaves "${e.source}" from port "${e.sourcePort}", but ${def.type} has ports ${def.ports.join(', ')}`,
      });
    }
    if (target && isTrigger(target.type)) {
      save({ code: 'edge.intoTrigger', edgeId: e.id, nodeId: target.id, message: `Edge ${e.id} goes into the trigger "${target.id}"; a trigger starts the flow and cannot have incoming connections` });
    }
  }
  for (const loop of findCycles(doc)) {
    const message = `Steps loop back on themselves: ${loop.join(' → ')}. Remove one of these connections`;
    for (const id of new Set(loop)) save({ code: 'graph.cycle', nodeId: id, message });
  }
  return problems;
}

function publishProblems(doc: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  const triggers = triggerNodes(doc);
  if (triggers.length === 0) {
    const offered = Object.values(nodeTypes).filter((d) => d.kind === 'trigger').map((d) => d.label);
    problems.push({ code: 'flow.noTrigger', blocks: 'publish', message: `The flow has no trigger: add one (${offered.join(', ')}) so it has a start` });
  } else if (triggers.length > 1) {
    const ids = triggers.map((t) => `"${t.id}"`).join(', ');
    for (const t of triggers) {
      problems.push({ code: 'flow.multipleTriggers', nodeId: t.id, blocks: 'publish', message: `A flow starts from exactly one trigger, but this one has ${triggers.length}: ${ids}. Keep one` });
    }
  }
  for (const n of doc.nodes) problems.push(...configProblems(n));
  if (triggers.length === 1) problems.push(...triggerProblems(doc, triggers[0]));
  if (triggers.length > 0) {
    const reached = new Set(triggers.flatMap((t) => reachableFrom(doc, t.id)));
    for (const n of doc.nodes) {
      if (!reached.has(n.id)) {
        problems.push({ code: 'node.unreachable', nodeId: n.id, blocks: 'publish', message: `Step "${n.id}" is not connected to the trigger, so it would never run` });
      }
    }
  }
  return problems;
}

/** Stripe events a step waits for with its settings (none when they do not parse: configProblems says why). */
function stripeEventsOf(def: NodeDefinition, node: FlowNode): readonly string[] {
  if (!def.stripeEvents) return [];
  const parsed = def.config.safeParse(node.config);
  return parsed.success ? def.stripeEvents(parsed.data) : [];
}

/**
 * Steps that cannot do their work under this flow's trigger: NodeDefinition.onlyUnder, or, for a
 * step that waits for Stripe events with its settings, a Stripe trigger (the events reach it
 * only through its own flow's Stripe webhook).
 */
function triggerProblems(doc: FlowDocument, trigger: FlowNode): Problem[] {
  return doc.nodes.flatMap((n) => {
    const def = getNodeType(n.type);
    if (!def) return [];
    const bySettings = !def.onlyUnder;
    const only = def.onlyUnder ?? (stripeEventsOf(def, n).length ? ['stripe.trigger'] : null);
    if (!only || only.includes(trigger.type)) return [];
    const needed = only.map((t) => getNodeType(t)?.label ?? t).join(' or ');
    const has = getNodeType(trigger.type)?.label ?? trigger.type;
    return [{ code: 'node.wrongTrigger', nodeId: n.id, blocks: 'publish' as const, message: `Step "${n.id}" (${def.label}) only works in a flow started by ${needed}${bySettings ? ' with these settings' : ''}; this one starts from ${has}. Change the trigger, or ${bySettings ? 'the step’s settings' : 'use a Delay instead'}` }];
  });
}

function configProblems(node: FlowNode): Problem[] {
  const def = getNodeType(node.type);
  if (!def) return [];
  const problems: Problem[] = [];
  const step = `Step "${node.id}" (${def.label})`;
  const parsed = def.config.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [null];
      for (const key of keys) {
        const field = [...issue.path, ...(key === null ? [] : [key])];
        const message = key === null ? describeIssue(issue, node.config) : 'is not a setting of this node type; remove it';
        const path = formatPath(['config', ...field]);
        const what = field.length === 0 ? 'the settings' : formatPath(field);
        problems.push({ code: 'config.invalid', nodeId: node.id, path, blocks: 'publish', message: `${step}: ${what} ${message}` });
      }
    }
  }
  const expressionFields = def.expressionFields ?? [];
  for (const field of expressionFields) {
    const value = node.config[field];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const error = checkExpression(value);
    const path = `config.${field}`;
    if (error) problems.push({ code: 'expression.invalid', nodeId: node.id, path, blocks: 'publish', message: `${step}: ${field} is not a valid expression. ${error}` });
  }
  for (const [key, value] of Object.entries(node.config)) {
    if (expressionFields.includes(key)) continue;
    for (const leaf of templateLeaves(value, ['config', key])) {
      const error = checkTemplate(leaf.value);
      const path = formatPath(leaf.path);
      if (error) problems.push({ code: 'template.invalid', nodeId: node.id, path, blocks: 'publish', message: `${step}: ${formatPath(leaf.path.slice(1))} has a broken {{ }} template. ${error}` });
    }
  }
  return problems;
}

function templateLeaves(value: unknown, path: PropertyKey[]): Array<{ value: string; path: PropertyKey[] }> {
  if (typeof value === 'string') return hasTemplate(value) ? [{ value, path }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => templateLeaves(v, [...path, i]));
  if (typeof value === 'object' && value !== null && !isCredentialRef(value)) {
    return Object.entries(value).flatMap(([k, v]) => templateLeaves(v, [...path, k]));
  }
  return [];
}
