import { Link } from 'react-router';
import type { CrmTask } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';
import { taskDealName } from '../lib/tasks';

interface Props {
  task: CrmTask;
  /** Show the deal it belongs to (My tasks); left out on the deal's own page. */
  showDeal?: boolean;
  showAssignee?: boolean;
  canChange: boolean;
  busy: boolean;
  onStatus: (status: 'open' | 'done') => void;
}

/** One task: what, for which deal, when it is due (flagged when overdue), and a button to get it off the list. */
export function TaskItem({ task, showDeal, showAssignee, canChange, busy, onStatus }: Props) {
  const done = task.status === 'done';
  const deal = taskDealName(task);
  return (
    <li className={done ? 'task is-done' : task.overdue ? 'task is-overdue' : 'task'} data-testid={`task-${task.id}`} data-status={task.status}>
      <div className="task-main">
        <span className="task-title" data-testid="task-title">
          {task.title}
        </span>
        <span className="task-meta">
          {showDeal && task.dealId && (
            <Link to={`/deals/${task.dealId}`} data-testid="task-deal-link">
              {deal}
            </Link>
          )}
          {showAssignee && <span>for {task.assignee}</span>}
          {done ? (
            <span>Done {task.completedAt ? formatDateTime(task.completedAt) : ''}{task.completedBy ? ` by ${task.completedBy}` : ''}</span>
          ) : task.dueAt ? (
            <span className="task-due" data-testid="task-due">
              Due {formatDateTime(task.dueAt)}
            </span>
          ) : (
            <span>No due date</span>
          )}
          {task.overdue && !done && (
            <span className="badge badge-danger" data-testid="task-overdue">
              Overdue
            </span>
          )}
          {task.createdBy.type === 'run' && task.runId && (
            <Link to={`/runs/${task.runId}`} className="muted">
              from a flow
            </Link>
          )}
        </span>
      </div>
      {canChange &&
        (done ? (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => onStatus('open')} data-testid="task-reopen">
            Reopen
          </button>
        ) : (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => onStatus('done')} data-testid="task-done">
            Done
          </button>
        ))}
    </li>
  );
}
