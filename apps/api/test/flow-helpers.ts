import { expect } from 'vitest';
import { eventually } from './fake-http';
import type { HttpClient } from './harness';

export interface StepView {
  nodeId: string;
  status: string;
  port: string | null;
  attempt: number;
  output: unknown;
  error: string | null;
  idempotencyKey: string | null;
  skippedOfRun: string | null;
}

export interface RunView {
  id: string;
  status: string;
  error: string | null;
  steps: StepView[];
}

export const node = (id: string, type: string, config: Record<string, unknown> = {}, x = 0) => ({ id, type, position: { x, y: 0 }, config });
export const edge = (source: string, target: string, sourcePort = 'out') => ({ id: `${source}-${sourcePort}-${target}`, source, sourcePort, target });
export const flow = (name: string, nodes: unknown[], edges: unknown[]) => ({ schema: 'handoff.flow/1', name, nodes, edges });

/** Flow and run helpers over the HTTP API, as the editor and scripts use it. */
export function flowHelpers(api: HttpClient) {
  const getRun = async (id: string) => (await api.get<RunView>(`/api/runs/${id}`)).body;
  return {
    async createFlow(doc: unknown): Promise<string> {
      const res = await api.post<{ id: string; problems: unknown[] }>('/api/flows', doc);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    },
    async publish(flowId: string): Promise<number> {
      const res = await api.post<{ version: number }>(`/api/flows/${flowId}/publish`, {});
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body.version;
    },
    async testRun(flowId: string, payload: Record<string, unknown> = {}): Promise<string> {
      const res = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.runId;
    },
    getRun,
    untilStatus: (id: string, statuses: string[], ms = 30_000) =>
      eventually(async () => {
        const run = await getRun(id);
        return statuses.includes(run.status) ? run : undefined;
      }, ms, `run ${id} to reach ${statuses.join('/')}`),
    step: (run: RunView, nodeId: string) => run.steps.find((s) => s.nodeId === nodeId),
  };
}
