import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';

export function useTestRun(flowId: string) {
  return useMutation({
    mutationFn: (event: unknown) => api.post<{ runId: string }>(`/api/flows/${encodeURIComponent(flowId)}/test-run`, { event }),
  });
}
