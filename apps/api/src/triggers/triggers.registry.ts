import { CrmTrigger } from './crm.trigger';
import { ManualTrigger } from './manual.trigger';
import { ScheduleTrigger } from './schedule.trigger';
import { StripeTrigger } from './stripe.trigger';
import { WebhookTrigger } from './webhook.trigger';

/** Every trigger adapter: one line per trigger type (docs/architecture.md "Adding a trigger type"). */
export const triggerAdapters = [StripeTrigger, WebhookTrigger, ScheduleTrigger, CrmTrigger, ManualTrigger] as const;
