import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../../api/client';
import type { CrmStage, Page } from '../../../api/types';
import { crmKeys } from '../lib/keys';

/** The pipeline, in order (`GET /api/crm/stages`); it changes only by SQL, so it is kept for a while. */
export function useStages() {
  return useQuery({
    queryKey: crmKeys.stages,
    queryFn: ({ signal }) => api.get<Page<CrmStage>>('/api/crm/stages', signal),
    staleTime: 5 * 60_000,
  });
}

/** A stage's label ("Paid / won" for paid_won); the key itself until the stages are loaded. */
export function useStageLabel(): (key: string) => string {
  const stages = useStages();
  const items = stages.data?.items;
  return useCallback((key: string) => items?.find((s) => s.key === key)?.label ?? key, [items]);
}
