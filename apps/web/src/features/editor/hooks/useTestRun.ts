import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { TestRunBody } from '../lib/testRunSetup';

export function useTestRun(flowId: string) {
  return useMutation({
    mutationFn: (body: TestRunBody) => api.post<{ runId: string }>(`/api/flows/${encodeURIComponent(flowId)}/test-run`, body),
  });
}
