/** A problem reported by the API or by `validateFlow`. */
export interface ApiProblem {
  code?: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  path?: Array<string | number> | string;
  blocks?: 'save' | 'publish';
}

/** Error body the API answers with: `{ statusCode, message, problems? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: ApiProblem[] = [],
    /** A machine-readable reason some answers carry (e.g. an intake form's 410: 'submitted' | 'expired'). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called on every 401 (except from the auth endpoints themselves), so the shell can send the user to /login. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function messageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (typeof m === 'string' && m) return m;
    if (Array.isArray(m)) return m.join('; ');
  }
  return fallback;
}

function problemsOf(body: unknown): ApiProblem[] {
  if (body && typeof body === 'object' && 'problems' in body) {
    const p = (body as { problems: unknown }).problems;
    if (Array.isArray(p)) return p as ApiProblem[];
  }
  return [];
}

function reasonOf(body: unknown): string | undefined {
  const r = body && typeof body === 'object' ? (body as { reason?: unknown }).reason : undefined;
  return typeof r === 'string' ? r : undefined;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * The one fetch wrapper: same-origin cookies, the CSRF header the API requires on
 * state-changing cookie requests, JSON in and out, `ApiError` on anything but 2xx.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-handoff-csrf': '1', accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the Handoff server. Check your connection and try again.');
  }
  const text = res.status === 204 ? '' : await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    const error = new ApiError(res.status, messageOf(body, `${res.status} ${res.statusText || 'Request failed'}`), problemsOf(body), reasonOf(body));
    if (res.status === 401 && !path.startsWith('/api/auth/')) unauthorizedListeners.forEach((l) => l(error));
    throw error;
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
