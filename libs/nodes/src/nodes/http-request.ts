import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { EFFECT, effectConfig } from './common';
import { text, textRecord } from './values';

const ATTEMPTS = 3;

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());
}

function looksLikeJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

export const httpRequest = defineNode({
  type: 'http.request',
  kind: 'action',
  label: 'HTTP request',
  description:
    'Calls any HTTP API (e.g. provisioning) during the step, with retries and an Idempotency-Key header so a retried call is not applied twice. A non-2xx answer fails the attempt. Output: { status, headers, body }.',
  config: effectConfig({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('HTTP method'),
    url: z
      .string()
      .trim()
      .regex(/^(https?:\/\/\S+|\{\{)/, 'must start with http:// or https://')
      .describe('Address to call; may use {{ }} templates'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers (name → template); put secrets in the credential instead'),
    auth: credentialField(['http.header'], 'A secret header (e.g. Authorization: Bearer …) kept as a credential, so API keys never sit in the flow, its versions or its exports').optional(),
    body: z.string().default('{{ trigger.payment }}').describe('Request body; a single {{ }} of an object is sent as JSON'),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outbound: true,
  retry: { attempts: ATTEMPTS },
  run: async (ctx, config) => {
    const url = text(config.url).trim();
    const body = config.method === 'GET' ? '' : text(config.body);
    const headers = textRecord(config.headers);
    const key = ctx.idempotencyKey ?? config.idempotencyKey;
    if (key && !hasHeader(headers, 'Idempotency-Key')) headers['Idempotency-Key'] = key;
    if (body !== '' && !hasHeader(headers, 'Content-Type')) {
      headers['Content-Type'] = looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
    }
    const response = await ctx.effects.http.request({ method: config.method, url, headers, body: body === '' ? undefined : body, ...(config.auth ? { credential: config.auth.credential } : {}) });
    return { port: 'out', output: response };
  },
});
