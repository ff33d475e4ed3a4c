import type { Intake } from '../../../api/types';

export const INTAKE_STATUSES = ['sent', 'opened', 'submitted', 'expired'] as const;

/** Who the intake is for: the name when known, else the e-mail. */
export function intakeClient(i: Pick<Intake, 'name' | 'email'>): string {
  return i.name?.trim() || i.email || 'Unknown client';
}

/** A link whose token the server masked (viewers and reviewers) is shown, never copied. */
export function isMaskedLink(url: string | null): boolean {
  return !!url && url.includes('••');
}

/** One line on where the form stands, for the expanded row. */
export function intakeProgress(i: Pick<Intake, 'status'>): string {
  if (i.status === 'submitted') return 'The client sent the form.';
  if (i.status === 'expired') return 'The link expired before the client sent the form.';
  if (i.status === 'opened') return 'The client opened the form but has not sent it yet.';
  return 'Not opened yet.';
}
