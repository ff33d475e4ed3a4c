import type { EntityManager } from 'typeorm';
import { CRM_CHANNEL } from '../notifications/notification-stream.service';

export interface CrmEvent {
  kind: 'deal' | 'task';
  dealId?: string | null;
  taskId?: string;
}

/** Delivered on commit to every api process, so boards and task lists refresh live. */
export async function notifyCrm(m: Pick<EntityManager, 'query'>, event: CrmEvent): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [CRM_CHANNEL, JSON.stringify(event)]);
}
