import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { useCreateHookEndpoint, useReconcileHook } from '../hooks/useHookSetup';
import { endpointMessage, reconcileMessage, type HookSetup } from '../lib/hookSetup';

interface Props {
  flowId: string;
  setup: HookSetup;
  /** The webhook URL the panel shows: the endpoint is created for exactly this address. */
  url: string;
}

type Outcome = { ok: true; text: string } | { ok: false; title: string; error: unknown };

/** With the trigger's API key, Handoff creates the sender's endpoint itself and can fetch the events it missed. */
export function HookSetupActions({ flowId, setup, url }: Props) {
  const create = useCreateHookEndpoint(flowId, setup);
  const reconcile = useReconcileHook(setup);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const busy = create.isPending || reconcile.isPending;

  const onCreate = () => {
    setOutcome(null);
    create.mutate(url, {
      onSuccess: (r) => setOutcome({ ok: true, text: endpointMessage(r) }),
      onError: (error) => setOutcome({ ok: false, title: `The endpoint was not created in ${setup.provider}.`, error }),
    });
  };
  const onReconcile = () => {
    setOutcome(null);
    reconcile.mutate(undefined, {
      onSuccess: (r) => setOutcome({ ok: true, text: reconcileMessage(r) }),
      onError: (error) => setOutcome({ ok: false, title: `Could not check ${setup.provider}.`, error }),
    });
  };

  return (
    <div className="callout callout-plain" data-testid="hook-setup">
      <div className="callout-title">Set up in {setup.provider}</div>
      <p className="small muted">
        With the API key on this trigger, Handoff registers the URL above in {setup.provider} for the events below (saving the draft first), and can look
        for events {setup.provider} never delivered.
      </p>
      <div className="hook-setup-buttons">
        <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={onCreate} data-testid="hook-endpoint-create">
          {create.isPending ? 'Creating…' : `Create the endpoint in ${setup.provider}`}
        </button>
        <button type="button" className="btn btn-small" disabled={busy} onClick={onReconcile} data-testid="hook-reconcile">
          {reconcile.isPending ? 'Checking…' : `Check ${setup.provider} for missed events`}
        </button>
      </div>
      {outcome?.ok && (
        <p className="banner banner-success small" role="status" data-testid="hook-setup-result">
          {outcome.text}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div data-testid="hook-setup-error">
          <ErrorBanner title={outcome.title} error={outcome.error} />
        </div>
      )}
    </div>
  );
}
