import type { NodeDefinition, NodeResult } from '../define';
import { parseConfig, resolveConfig } from '../resolve-config';
import { fakeRunContext, type FakeContextOptions, type RecordedEffects } from './fake-run-context';

/** Runs a node the way the engine does: parse config (defaults), render templates, call `run`. */
export async function runNode(
  def: NodeDefinition,
  rawConfig: Record<string, unknown>,
  options: FakeContextOptions = {},
): Promise<{ result: NodeResult; effects: RecordedEffects }> {
  const { ctx, effects } = fakeRunContext({ nodeType: def.type, ...options });
  if (!def.run) throw new Error(`${def.type} has no run`);
  ctx.unrendered = parseConfig(def, rawConfig);
  const config = await resolveConfig(def, rawConfig, ctx.scope);
  const result = await def.run(ctx, config, undefined);
  return { result, effects };
}
