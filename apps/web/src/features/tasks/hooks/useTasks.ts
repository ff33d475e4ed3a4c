import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { CrmTask, Page } from '../../../api/types';
import { toast } from '../../../lib/toast';
import { crmKeys } from '../../crm/lib/keys';

export interface TaskFilters {
  assignee?: 'me' | (string & {});
  status?: 'open' | 'done';
  dealId?: string;
}

/** `GET /api/crm/tasks`: newest first; the pages sort what they show. Kept fresh by the CRM stream. */
export function useTasks(filters: TaskFilters) {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (v) params[k] = v;
  return useQuery({
    queryKey: crmKeys.taskList(params),
    queryFn: ({ signal }) => api.get<Page<CrmTask>>(withQuery('/api/crm/tasks', params), signal),
    refetchInterval: 60_000,
  });
}

export function useCreateTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { dealId?: string | null; title: string; assignee: string; dueAt?: string | null }) => api.post<CrmTask>('/api/crm/tasks', body),
    onSuccess: (task) => {
      void qc.invalidateQueries({ queryKey: crmKeys.tasks });
      if (task.dealId) void qc.invalidateQueries({ queryKey: crmKeys.deal(task.dealId) });
    },
  });
}

/** Marks a task done (or open again). The row changes at once; the lists refetch after. */
export function useSetTaskStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'open' | 'done' }) => api.patch<CrmTask>(`/api/crm/tasks/${encodeURIComponent(id)}`, { status }),
    onMutate: async ({ id, status }) => {
      await qc.cancelQueries({ queryKey: crmKeys.tasks });
      const lists = qc.getQueriesData<Page<CrmTask>>({ queryKey: crmKeys.tasks });
      qc.setQueriesData<Page<CrmTask>>({ queryKey: crmKeys.tasks }, (page) =>
        page ? { ...page, items: page.items.map((t) => (t.id === id ? { ...t, status, overdue: status === 'open' && t.overdue } : t)) } : page,
      );
      return { lists };
    },
    onError: (error, _v, context) => {
      for (const [key, data] of context?.lists ?? []) qc.setQueryData(key, data);
      toast(`The task was not changed: ${error.message}`, 'error', 6000);
    },
    onSettled: (task) => {
      void qc.invalidateQueries({ queryKey: crmKeys.tasks });
      if (task?.dealId) void qc.invalidateQueries({ queryKey: crmKeys.deal(task.dealId) });
    },
  });
}

/** For the nav: how many open tasks the signed-in person has, and whether any is overdue. Shares My tasks' cache. */
export function useMyOpenTaskCount(enabled: boolean): { open: number; overdue: number } {
  const q = useQuery({
    queryKey: crmKeys.taskList({ assignee: 'me', status: 'open' }),
    queryFn: ({ signal }) => api.get<Page<CrmTask>>(withQuery('/api/crm/tasks', { assignee: 'me', status: 'open' }), signal),
    enabled,
    refetchInterval: 60_000,
  });
  const items = q.data?.items.filter((t) => t.status === 'open') ?? [];
  return { open: items.length, overdue: items.filter((t) => t.overdue).length };
}
