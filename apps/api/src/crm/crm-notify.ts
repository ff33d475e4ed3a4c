import type { EntityManager } from 'typeorm';
import { CRM_CHANNEL } from '../notifications/notification-stream.service';

export interface CrmEvent {
  kind: 'deal' | 'task';
  dealId?: string | null;
  taskId?: string;
}

/** The payload of a CRM notification on CRM_CHANNEL. */
export function crmEvent(event: CrmEvent): string {
  return JSON.stringify(event);
}

/** Delivered on commit to every api process, so boards and task lists refresh live. */
export async function notifyCrm(m: Pick<EntityManager, 'query'>, event: CrmEvent): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [CRM_CHANNEL, crmEvent(event)]);
}
