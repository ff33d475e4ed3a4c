import type { NodeDefinition } from '@handoff/nodes';
import { hookSetupOf } from '../lib/hookSetup';
import { webhookUrlOf, type SavedHook } from '../lib/webhookUrl';
import { useEditor } from '../store/useEditorStore';
import { DeliveriesLog } from './DeliveriesLog';
import { HookSetupActions } from './HookSetupActions';
import { NextRuns } from './NextRuns';
import { WebhookUrl } from './WebhookUrl';

interface Props {
  def: NodeDefinition;
  config: Record<string, unknown>;
  flowId: string;
  saved: SavedHook;
}

/** What a trigger declares about how it fires (`def.trigger`): its webhook address, what can be set up with its API key, its next runs; what reached its address. */
export function TriggerPanel({ def, config, flowId, saved }: Props) {
  const readOnly = useEditor((s) => s.readOnly);
  const hook = def.trigger?.hook;
  const url = hook ? webhookUrlOf(hook.path, flowId, saved, location.origin) : null;
  const setup = hookSetupOf(def, config, flowId);
  return (
    <>
      {hook && url && <WebhookUrl url={url} help={hook.help} />}
      {setup && url && !readOnly && <HookSetupActions flowId={flowId} setup={setup} url={url} />}
      {def.trigger?.upcoming && <NextRuns def={def} config={config} live={saved.live} />}
      {hook && <DeliveriesLog flowId={flowId} />}
    </>
  );
}
