import type { NewApiToken } from '../../../api/types';
import { CopyButton } from '../../../components/CopyButton';

/** The token itself, shown this once: the server keeps only its hash. */
export function NewTokenBanner({ token, onDismiss }: { token: NewApiToken; onDismiss: () => void }) {
  return (
    <div className="banner banner-success" role="status" data-testid="token-once">
      <div className="banner-body">
        <strong>Token “{token.name}” created. Copy it now: it won’t be shown again.</strong>
        <div className="token-once">
          <code data-testid="token-value">{token.token}</code>
          <CopyButton text={token.token} testId="token-copy" />
        </div>
      </div>
      <button type="button" className="btn btn-small" onClick={onDismiss} data-testid="token-dismiss">
        Done
      </button>
    </div>
  );
}
