import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { useSetTaskStatus, useTasks } from '../hooks/useTasks';
import { sortTasks } from '../lib/tasks';
import { TaskItem } from './TaskItem';

/** What the signed-in person has to do, from people and flows: soonest due first, overdue flagged. */
export function MyTasksPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') === 'done' ? 'done' : 'open';
  const tasks = useTasks({ assignee: 'me', status });
  const setStatus = useSetTaskStatus();
  const items = sortTasks(tasks.data?.items ?? []);
  const overdue = items.filter((t) => t.status === 'open' && t.overdue).length;

  const show = (next: 'open' | 'done') => setParams(next === 'open' ? {} : { status: next }, { replace: true });

  return (
    <main className="page page-narrow">
      <PageHeader
        title="My tasks"
        subtitle={status === 'open' ? (overdue ? `${overdue} overdue. Tasks given to you by the team and by flows.` : 'Tasks given to you by the team and by flows, soonest due first.') : 'What you have done lately.'}
      />
      <div className="tabs" role="tablist">
        {(['open', 'done'] as const).map((s) => (
          <button key={s} type="button" role="tab" aria-selected={status === s} className={status === s ? 'tab is-on' : 'tab'} onClick={() => show(s)} data-testid={`tasks-tab-${s}`}>
            {s === 'open' ? 'Open' : 'Done'}
          </button>
        ))}
      </div>
      {tasks.isPending && <Spinner label="Loading tasks…" />}
      {tasks.isError && <ErrorBanner title="Could not load your tasks." error={tasks.error} onRetry={() => tasks.refetch()} />}
      {tasks.isSuccess && items.length === 0 && (
        <EmptyState title={status === 'open' ? 'Nothing to do' : 'Nothing done yet'} testId="tasks-empty">
          {status === 'open' ? 'When someone or a flow gives you a task, it shows up here.' : 'Tasks you mark done are listed here.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="tasks card" data-testid="my-tasks">
          {items.map((t) => (
            <TaskItem
              key={t.id}
              task={t}
              showDeal
              canChange
              busy={setStatus.isPending && setStatus.variables?.id === t.id}
              onStatus={(next) => setStatus.mutate({ id: t.id, status: next })}
            />
          ))}
        </ul>
      )}
    </main>
  );
}
