import type { NodeDefinition } from '@handoff/nodes';
import { webhookUrlOf, type SavedHook } from '../lib/webhookUrl';
import { NextRuns } from './NextRuns';
import { WebhookUrl } from './WebhookUrl';

interface Props {
  def: NodeDefinition;
  config: Record<string, unknown>;
  flowId: string;
  saved: SavedHook;
}

/** What a trigger declares about how it fires (`def.trigger`): its webhook address, its next runs. */
export function TriggerPanel({ def, config, flowId, saved }: Props) {
  const hook = def.trigger?.hook;
  return (
    <>
      {hook && <WebhookUrl url={webhookUrlOf(hook.path, flowId, saved, location.origin)} help={hook.help} />}
      {def.trigger?.upcoming && <NextRuns def={def} config={config} />}
    </>
  );
}
