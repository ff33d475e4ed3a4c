export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent';

const tones: Record<string, Tone> = {
  active: 'success',
  succeeded: 'success',
  completed: 'success',
  submitted: 'success',
  approved: 'success',
  approve: 'success',
  draft: 'neutral',
  queued: 'neutral',
  skipped: 'neutral',
  cancelled: 'neutral',
  pending: 'warning',
  paused: 'warning',
  waiting: 'warning',
  retrying: 'warning',
  held: 'warning',
  ran: 'success',
  ignored: 'neutral',
  disabled: 'neutral',
  revoked: 'neutral',
  timeout: 'warning',
  open: 'info',
  opened: 'accent',
  sent: 'info',
  running: 'info',
  failed: 'danger',
  rejected: 'danger',
  reject: 'danger',
  expired: 'danger',
  dead: 'danger',
};

const sentence = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ') : s);

export function toneOf(status: string | null | undefined): Tone {
  return (status && tones[status]) || 'neutral';
}

interface Props {
  status: string;
  label?: string;
  tone?: Tone;
  testId?: string;
}

/** A small status pill; the tone follows the status unless given. */
export function Badge({ status, label, tone, testId }: Props) {
  return (
    <span className={`badge badge-${tone ?? toneOf(status)}`} data-testid={testId} data-status={status}>
      {label ?? sentence(status)}
    </span>
  );
}
