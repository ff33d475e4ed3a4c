import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { OutboundPolicy, parsePolicy, refusal } from './address-policy';

/** An outbound call the address policy refused: the step fails at once (retrying changes nothing). */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
}

let current: OutboundPolicy = parsePolicy(false, '');

/** Set once at start from the configuration (HANDOFF_ALLOW_PRIVATE_NETWORKS, HANDOFF_ALLOWED_HOSTS). */
export function setOutboundPolicy(policy: OutboundPolicy): void {
  current = policy;
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

/** Agents for SDKs that take one (Stripe, HubSpot, Slack...): every connection they open goes through the policy. */
export const outboundAgents = {
  http: new http.Agent({ keepAlive: true, lookup: checkedLookup }),
  https: new https.Agent({ keepAlive: true, lookup: checkedLookup }),
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
}

/**
 * One HTTP call under the policy: every hop of a redirect is checked again, the answer is read
 * up to `maxBytes` and then the connection is dropped, so a huge answer costs no memory.
 */
export async function outboundRequest(req: OutboundRequest): Promise<OutboundResponse> {
  let url = assertUrlAllowed(req.url);
  let { method, body } = req;
  for (let hop = 0; ; hop++) {
    const res = await once(url, method, req.headers, body, req);
    const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
    if (!location) return res;
    if (hop >= (req.maxRedirects ?? 5)) throw new Error(`${req.method} ${req.url} redirected more than ${req.maxRedirects ?? 5} times`);
    url = assertUrlAllowed(new URL(location, url).toString());
    // As browsers do: 303, and 301/302 after a POST, continue as GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
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
