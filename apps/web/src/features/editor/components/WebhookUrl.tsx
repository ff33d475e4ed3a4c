import { CopyButton } from '../../../components/CopyButton';

/** The address a trigger's sender posts to, with the trigger's own instructions (`trigger.hook.help`). */
export function WebhookUrl({ url, help }: { url: string; help: string }) {
  return (
    <div className="callout" data-testid="webhook-url-box">
      <div className="callout-title">Webhook URL</div>
      <div className="copy-field">
        <code data-testid="webhook-url" title={url}>
          {url}
        </code>
        <CopyButton text={url} testId="webhook-url-copy" />
      </div>
      <p className="small muted" data-testid="webhook-url-help">
        {help}
      </p>
    </div>
  );
}
