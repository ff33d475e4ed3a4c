import type { HttpRequestInput, HttpResponse } from '@handoff/nodes';
import { PermanentStepError } from '../step-errors';

const MAX_BODY = 256 * 1024;
const TIMEOUT_MS = 15_000;

/**
 * The http.request effect. A 4xx other than 408/429 will not get better by retrying, so it
 * fails the step at once; 5xx, 408, 429 and network errors are retried with backoff.
 */
export async function httpRequest(input: HttpRequestInput): Promise<HttpResponse> {
  let res: Response;
  try {
    res = await fetch(input.url, { method: input.method, headers: input.headers, body: input.body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new Error(`${input.method} ${input.url} failed: ${(e as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause ?? (e as Error).message)}`, { cause: e });
  }
  const text = (await res.text()).slice(0, MAX_BODY);
  const headers = Object.fromEntries(res.headers.entries());
  let body: unknown = text;
  if ((headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text: the API said JSON but sent something else
    }
  }
  if (!res.ok) {
    const message = `${input.method} ${input.url} answered ${res.status}: ${text.slice(0, 300)}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentStepError(message);
    throw new Error(message);
  }
  return { status: res.status, headers, body };
}
