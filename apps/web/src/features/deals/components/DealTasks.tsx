import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { TaskItem } from '../../tasks/components/TaskItem';
import { useSetTaskStatus, useTasks } from '../../tasks/hooks/useTasks';
import { sortTasks } from '../../tasks/lib/tasks';
import { AddTaskForm } from './AddTaskForm';

interface Props {
  dealId: string;
  me: string;
  canAdd: boolean;
  /** Editors change any task; others only their own. */
  canEdit: boolean;
}

/** The deal's tasks, open ones first by due date, with a way to add one and tick them off. */
export function DealTasks({ dealId, me, canAdd, canEdit }: Props) {
  const [adding, setAdding] = useState(false);
  const tasks = useTasks({ dealId });
  const setStatus = useSetTaskStatus();
  const items = sortTasks(tasks.data?.items ?? []);
  const open = items.filter((t) => t.status === 'open').length;
  return (
    <section className="card side-card" data-testid="deal-tasks">
      <div className="side-card-head">
        <h2>
          Tasks {items.length > 0 && <span className="count">{open}</span>}
        </h2>
        {canAdd && !adding && (
          <button type="button" className="btn btn-small" onClick={() => setAdding(true)} data-testid="add-task">
            Add task
          </button>
        )}
      </div>
      {adding && <AddTaskForm dealId={dealId} me={me} onDone={() => setAdding(false)} />}
      {tasks.isPending && <Spinner label="Loading tasks…" />}
      {tasks.isError && <ErrorBanner error={tasks.error} onRetry={() => tasks.refetch()} />}
      {tasks.isSuccess && items.length === 0 && !adding && <p className="muted small">No tasks on this deal.</p>}
      {items.length > 0 && (
        <ul className="tasks tasks-compact">
          {items.map((t) => (
            <TaskItem
              key={t.id}
              task={t}
              showAssignee
              canChange={canEdit || t.assignee.toLowerCase() === me.toLowerCase()}
              busy={setStatus.isPending && setStatus.variables?.id === t.id}
              onStatus={(status) => setStatus.mutate({ id: t.id, status })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
