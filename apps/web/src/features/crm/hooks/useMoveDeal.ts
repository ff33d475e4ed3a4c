import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Deal, DealDetail, Page } from '../../../api/types';
import { toast } from '../../../lib/toast';
import { crmKeys } from '../lib/keys';

/**
 * Moves a deal to a stage (`POST /api/crm/deals/:id/stage`, recorded with who moved it; it
 * starts the crm.trigger flows). The card moves at once; if the server refuses, it moves back.
 */
export function useMoveDeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, stage }: { id: string; stage: string; label?: string }) => api.post<DealDetail>(`/api/crm/deals/${encodeURIComponent(id)}/stage`, { stage }),
    onMutate: async ({ id, stage }) => {
      await qc.cancelQueries({ queryKey: crmKeys.deals });
      await qc.cancelQueries({ queryKey: crmKeys.deal(id) });
      const lists = qc.getQueriesData<Page<Deal>>({ queryKey: crmKeys.deals });
      const detail = qc.getQueryData<DealDetail>(crmKeys.deal(id));
      const updatedAt = new Date().toISOString();
      qc.setQueriesData<Page<Deal>>({ queryKey: crmKeys.deals }, (page) =>
        page ? { ...page, items: page.items.map((d) => (d.id === id ? { ...d, stage, updatedAt } : d)) } : page,
      );
      if (detail) qc.setQueryData<DealDetail>(crmKeys.deal(id), { ...detail, stage });
      return { lists, detail };
    },
    onSuccess: (deal) => qc.setQueryData(crmKeys.deal(deal.id), deal),
    onError: (error, { id }, context) => {
      for (const [key, data] of context?.lists ?? []) qc.setQueryData(key, data);
      if (context?.detail) qc.setQueryData(crmKeys.deal(id), context.detail);
      toast(`The deal was not moved: ${error.message}`, 'error', 6000);
    },
    onSettled: (_d, _e, { id }) => {
      void qc.invalidateQueries({ queryKey: crmKeys.deals });
      void qc.invalidateQueries({ queryKey: crmKeys.deal(id) });
    },
  });
}
