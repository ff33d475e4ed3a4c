import type { HttpRequestInput, HttpResponse } from '@handoff/nodes';
import type { CredentialsService } from '../../credentials/credentials.service';
import { redact, redactDeep, secretStrings } from '../../credentials/redact';
import { OutboundRefused, outboundRequest, OutboundResponse } from '../../outbound/outbound';
import { PermanentStepError } from '../step-errors';

const MAX_BODY = 256 * 1024;
const TIMEOUT_MS = 15_000;

/**
 * The http.request effect, under the outbound address policy (no private, loopback or
 * metadata addresses unless allowed; every redirect checked; the answer read up to 256 KB).
 * A refused address or a 4xx other than 408/429 will not get better by retrying, so it
 * fails the step at once; 5xx, 408, 429 and network errors are retried with backoff.
 */
export async function httpRequest(input: HttpRequestInput, credentials: CredentialsService): Promise<HttpResponse> {
  const headers = { ...input.headers };
  let secrets: string[] = [];
  const secretHeaders: string[] = [];
  if (input.credential) {
    const secret = await credentials.reveal<{ name: string; value: string }>(input.credential, 'http.header');
    if (!secret) throw new PermanentStepError(`Credential ${input.credential} is not an HTTP header (type http.header) or no longer exists`);
    // The credential wins over a header of the same name typed into the flow.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === secret.name.toLowerCase()) delete headers[name];
    headers[secret.name] = secret.value;
    secretHeaders.push(secret.name);
    secrets = secretStrings(secret);
  }
  let res: OutboundResponse;
  try {
    res = await outboundRequest({ method: input.method, url: input.url, headers, body: input.body, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BODY, secretHeaders });
  } catch (e) {
    if (e instanceof OutboundRefused || (e as Error).cause instanceof OutboundRefused) throw new PermanentStepError(`${input.method} ${input.url} refused: ${(e as Error).message}`);
    const code = (e as { code?: string }).code;
    throw new Error(`${input.method} ${input.url} failed: ${code ?? (e as Error).message}`, { cause: e });
  }
  // An API that echoes the request (its headers, the token) must not put the secret into run data.
  const text = redact(res.body, secrets);
  const answerHeaders = redactDeep(res.headers, secrets);
  let body: unknown = text;
  if ((answerHeaders['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text: the API said JSON but sent something else
    }
  }
  if (res.truncated) answerHeaders['x-handoff-truncated'] = `the answer was cut at ${MAX_BODY / 1024} KB`;
  if (res.status < 200 || res.status >= 300) {
    const message = `${input.method} ${input.url} answered ${res.status}: ${text.slice(0, 300)}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentStepError(message);
    throw new Error(message);
  }
  return { status: res.status, headers: answerHeaders, body };
}
