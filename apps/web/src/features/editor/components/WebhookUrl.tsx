import { CopyButton } from '../../../components/CopyButton';

/** The per-flow Stripe endpoint to paste into Stripe → Developers → Webhooks. */
export function WebhookUrl({ flowId, path, absolute }: { flowId: string; path?: string; absolute?: string | null }) {
  // The server's HANDOFF_PUBLIC_URL wins: the address you browse at may not be the one Stripe can reach.
  const url = absolute ?? `${location.origin}${path ?? `/hooks/stripe/${flowId}`}`;
  return (
    <div className="callout" data-testid="webhook-url-box">
      <div className="callout-title">Webhook URL</div>
      <div className="copy-field">
        <code data-testid="webhook-url">{url}</code>
        <CopyButton text={url} testId="webhook-url-copy" />
      </div>
      <p className="small muted">
        In Stripe, add an endpoint with this URL for the events selected below, then save its signing secret as a credential here.
        Events arrive only while the flow is published and active.
      </p>
    </div>
  );
}
