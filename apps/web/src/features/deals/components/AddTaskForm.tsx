import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { FormField } from '../../crm/components/FormField';
import { useCreateTask } from '../../tasks/hooks/useTasks';
import { dueAtFromInput } from '../../tasks/lib/tasks';

/** A task on this deal for someone on the team (`POST /api/crm/tasks`), by default for yourself. */
export function AddTaskForm({ dealId, me, onDone }: { dealId: string; me: string; onDone: () => void }) {
  const id = useId();
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState(me);
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateTask();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return setError('Say what needs doing');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(assignee.trim())) return setError('The assignee must be an e-mail address');
    create.mutate({ dealId, title: title.trim(), assignee: assignee.trim(), dueAt: dueAtFromInput(due) }, { onSuccess: onDone });
  };

  return (
    <form className="task-form" onSubmit={submit} noValidate data-testid="add-task-form">
      <FormField label="Task" htmlFor={`${id}-title`} error={error ?? undefined}>
        <input id={`${id}-title`} value={title} onChange={(e) => {
            setTitle(e.target.value);
            setError(null);
          }} placeholder="e.g. Call about the kickoff date" maxLength={500} autoFocus data-testid="task-form-title" />
      </FormField>
      <FormField label="For" htmlFor={`${id}-assignee`}>
        <input id={`${id}-assignee`} type="email" value={assignee} onChange={(e) => {
            setAssignee(e.target.value);
            setError(null);
          }} data-testid="task-form-assignee" />
      </FormField>
      <FormField label="Due" htmlFor={`${id}-due`} optional>
        <input id={`${id}-due`} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} data-testid="task-form-due" />
      </FormField>
      {create.isError && <ErrorBanner title="The task was not added." error={create.error} />}
      <div className="row row-end">
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={create.isPending} data-testid="task-add-submit">
          {create.isPending ? 'Adding…' : 'Add task'}
        </button>
      </div>
    </form>
  );
}
