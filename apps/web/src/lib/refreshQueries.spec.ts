import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { refreshQueries } from './refreshQueries';

/** A query function whose answers the test hands out one by one, as a slow server would. */
function server() {
  const pending: Array<(rows: string[]) => void> = [];
  return {
    queryFn: () => new Promise<string[]>((resolve) => pending.push(resolve)),
    requests: () => pending.length,
    answer: (i: number, rows: string[]) => pending[i](rows),
  };
}

describe('refreshQueries', () => {
  it('sends a new request when the change lands during a list’s first load, and shows its answer', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: false } } });
    const api = server();
    const observer = new QueryObserver(qc, { queryKey: ['crm', 'tasks', { assignee: 'me' }], queryFn: api.queryFn });
    const seen: Array<string[] | undefined> = [];
    const stop = observer.subscribe((r) => seen.push(r.data));
    expect(api.requests()).toBe(1); // the first load, read before the task was committed

    const refreshed = refreshQueries(qc, [['crm', 'tasks']]);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(api.requests()).toBe(2);
    api.answer(0, []); // the cancelled first answer arrives late: ignored
    api.answer(1, ['Send the contract']);
    await refreshed;

    expect(observer.getCurrentResult().data).toEqual(['Send the contract']);
    expect(seen).not.toContainEqual([]);
    stop();
  });

  it('refetches a list that has data, and leaves other lists alone', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: false } } });
    const tasks = server();
    const deals = server();
    const t = new QueryObserver(qc, { queryKey: ['crm', 'tasks', {}], queryFn: tasks.queryFn });
    const d = new QueryObserver(qc, { queryKey: ['crm', 'deals', {}], queryFn: deals.queryFn });
    const stops = [t.subscribe(() => undefined), d.subscribe(() => undefined)];
    tasks.answer(0, ['a']);
    deals.answer(0, ['x']);
    await new Promise((r) => setTimeout(r, 0));

    const refreshed = refreshQueries(qc, [['crm', 'tasks']]);
    await new Promise((r) => setTimeout(r, 0));
    tasks.answer(1, ['a', 'b']);
    await refreshed;
    expect(t.getCurrentResult().data).toEqual(['a', 'b']);
    expect(deals.requests()).toBe(1);
    stops.forEach((s) => s());
  });
});
