import type { FlowDoc } from '../store/types';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The editor's document after the server changed the saved draft underneath it (a set-up
 * action wrote a credential into a node's config). `base` is the draft as the editor last
 * saved it, `server` the draft now, `local` what the canvas shows. With no edits since the
 * save the server's draft is taken whole; otherwise each config value the server changed is
 * taken unless the same value was edited locally too, so neither side's change is lost.
 */
export function mergeSaved(base: FlowDoc, server: FlowDoc, local: FlowDoc): FlowDoc {
  if (same(base, local)) return server;
  const baseNodes = new Map(base.nodes.map((n) => [n.id, n]));
  const serverNodes = new Map(server.nodes.map((n) => [n.id, n]));
  return {
    ...local,
    nodes: local.nodes.map((n) => {
      const b = baseNodes.get(n.id);
      const s = serverNodes.get(n.id);
      if (!b || !s || b.type !== n.type || s.type !== n.type) return n;
      const config = { ...n.config };
      for (const key of new Set([...Object.keys(b.config), ...Object.keys(s.config)])) {
        if (same(b.config[key], s.config[key]) || !same(n.config[key], b.config[key])) continue;
        if (s.config[key] === undefined) delete config[key];
        else config[key] = s.config[key];
      }
      return { ...n, config };
    }),
  };
}
