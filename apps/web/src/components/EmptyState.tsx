import type { ReactNode } from 'react';

interface Props {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
}

export function EmptyState({ title, children, action, testId }: Props) {
  return (
    <div className="empty" data-testid={testId ?? 'empty-state'}>
      <svg className="empty-mark" viewBox="0 0 48 48" aria-hidden="true">
        <rect x="3" y="18" width="12" height="12" rx="3" />
        <rect x="33" y="8" width="12" height="12" rx="3" />
        <rect x="33" y="28" width="12" height="12" rx="3" />
        <path d="M15 24h6c4 0 4-10 8-10h4M21 24c4 0 4 10 8 10h4" fill="none" />
      </svg>
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
