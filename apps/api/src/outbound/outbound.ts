import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { OutboundPolicy, parsePolicy, refusal } from './address-policy';

/** An outbound call the address policy refused: the step fails at once (retrying changes nothing). */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  /** Kept by clients that copy only a socket error's code (node-fetch), so the refusal is still recognised. */
  readonly code = REFUSED_CODE;
}

const REFUSED_CODE = 'EHANDOFF_REFUSED';

/** Whether an error, or anything it wraps (`cause`, an SDK's `detail`), is a refusal of the policy. */
export function isRefusal(e: unknown, depth = 0): boolean {
  if (e instanceof OutboundRefused) return true;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if ((e as { code?: unknown }).code === REFUSED_CODE) return true;
  const { cause, detail } = e as { cause?: unknown; detail?: unknown };
  return isRefusal(cause, depth + 1) || isRefusal(detail, depth + 1);
}

let current: OutboundPolicy = parsePolicy(false, '');

/**
 * Set once at start from the configuration (HANDOFF_ALLOW_PRIVATE_NETWORKS, HANDOFF_ALLOWED_HOSTS).
 * The checked agents also become Node's global ones, so every client library that does not bring
 * its own agent (the HubSpot client and jsforce through node-fetch) connects under the policy.
 */
export function setOutboundPolicy(policy: OutboundPolicy): void {
  current = policy;
  http.globalAgent = outboundAgents.http;
  https.globalAgent = outboundAgents.https;
}

/**
 * A `lookup` for sockets: resolves like dns.lookup, then refuses unless every address the
 * name resolves to is allowed, so the address connected to is the address checked (no DNS
 * rebinding between a check and the connect).
 */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const bad = addresses.map((a) => refusal(current, hostname, a.address)).find((why) => why !== null);
    if (bad) return callback(new OutboundRefused(bad), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/** Refuses a URL that names a disallowed IP directly (sockets skip the lookup for IP literals), or another scheme. */
export function assertUrlAllowed(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(`${JSON.stringify(raw.slice(0, 200))} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(`Only http and https addresses can be called, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusal(current, host, host);
    if (why) throw new OutboundRefused(why);
  }
  return url;
}

/** A socket that fails with the refusal: sockets skip the lookup for IP literals, so those are judged here. */
function refusedLiteral(host: unknown): Duplex | null {
  const bare = String(host ?? '').replace(/^\[|\]$/g, '');
  const why = isIP(bare) ? refusal(current, bare, bare) : null;
  if (!why) return null;
  const socket = new Socket();
  process.nextTick(() => socket.destroy(new OutboundRefused(why)));
  return socket;
}

class CheckedHttpAgent extends http.Agent {
  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    return refusedLiteral(options.host ?? options.hostname) ?? super.createConnection({ ...options, lookup: checkedLookup }, callback);
  }
}

class CheckedHttpsAgent extends https.Agent {
  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    return refusedLiteral(options.host ?? options.hostname) ?? super.createConnection({ ...options, lookup: checkedLookup }, callback);
  }
}

/** Agents for SDKs that take one (Stripe...) and, once the policy is set, Node's global agents: every connection goes through the policy. */
export const outboundAgents = {
  http: new CheckedHttpAgent({ keepAlive: true, lookup: checkedLookup }),
  https: new CheckedHttpsAgent({ keepAlive: true, lookup: checkedLookup }),
};

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was cut at the limit. */
  truncated: boolean;
}

export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Headers that carry a secret (a credential's): like Authorization and Cookie, never sent on to another origin. */
  secretHeaders?: string[];
}

/** Sent only to the origin they were meant for, as browsers and fetch do on a redirect. */
const ORIGIN_BOUND = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * One HTTP call under the policy: every hop of a redirect is checked again, the answer is read
 * up to `maxBytes` and then the connection is dropped, so a huge answer costs no memory.
 */
export async function outboundRequest(req: OutboundRequest): Promise<OutboundResponse> {
  let url = assertUrlAllowed(req.url);
  let { method, body, headers } = req;
  for (let hop = 0; ; hop++) {
    const res = await once(url, method, headers, body, req);
    const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
    if (!location) return res;
    if (hop >= (req.maxRedirects ?? 5)) throw new Error(`${req.method} ${req.url} redirected more than ${req.maxRedirects ?? 5} times`);
    const next = assertUrlAllowed(new URL(location, url).toString());
    if (next.origin !== url.origin) headers = withoutSecrets(headers, req.secretHeaders ?? []);
    url = next;
    // As browsers do: 303, and 301/302 after a POST, continue as GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

function withoutSecrets(headers: Record<string, string>, secret: string[]): Record<string, string> {
  const drop = new Set([...ORIGIN_BOUND, ...secret.map((h) => h.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

function once(url: URL, method: string, headers: Record<string, string>, body: string | undefined, req: OutboundRequest): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method, headers, lookup: checkedLookup, timeout: req.timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = req.maxBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = req.maxBytes;
          truncated = true;
          res.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8'), truncated });
      };
      res.on('end', finish);
      res.on('error', (e) => (truncated ? undefined : reject(e)));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${req.timeoutMs / 1000} s`)));
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/**
 * Resolves a host and checks every address it gives, for clients that open their own sockets
 * and take no lookup (jsforce, nodemailer): returns the checked address to connect to, so the
 * address used is the address checked.
 */
export async function checkedAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await dnsLookupAsync(bare, { all: true });
  for (const a of addresses) {
    const why = refusal(current, bare, a.address);
    if (why) throw new OutboundRefused(why);
  }
  return addresses[0].address;
}

/** A `fetch` for SDKs that take one (Slack's webhook client): the same policy, redirects and size limit as steps. */
export async function outboundFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((v, k) => (headers[k] = v));
  const res = await outboundRequest({
    method: init.method ?? 'GET',
    url,
    headers,
    body: typeof init.body === 'string' ? init.body : undefined,
    timeoutMs: 15_000,
    maxBytes: 1024 * 1024,
    maxRedirects: init.redirect === 'error' ? 0 : 5,
  });
  return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers: res.headers });
}
