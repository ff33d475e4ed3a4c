import { describe, expect, it } from 'vitest';
import { webhookUrlOf } from './webhookUrl';

const flowId = '6f1c1e2a-0000-4000-8000-000000000001';
const origin = 'http://localhost:3000';

describe('webhookUrlOf', () => {
  it('uses the server’s absolute URL when it describes this trigger’s route', () => {
    const saved = { webhookPath: `/hooks/stripe/${flowId}`, webhookUrl: `https://hooks.example.com/hooks/stripe/${flowId}` };
    expect(webhookUrlOf('stripe', flowId, saved, origin)).toBe(`https://hooks.example.com/hooks/stripe/${flowId}`);
  });

  it('falls back to the page’s origin when the server has no public URL', () => {
    expect(webhookUrlOf('webhook', flowId, { webhookPath: `/hooks/webhook/${flowId}`, webhookUrl: null }, origin)).toBe(`${origin}/hooks/webhook/${flowId}`);
    expect(webhookUrlOf('webhook', flowId, { webhookPath: null, webhookUrl: null }, origin)).toBe(`${origin}/hooks/webhook/${flowId}`);
  });

  it('puts an unsaved trigger’s route on the public base of the saved one', () => {
    const saved = { webhookPath: `/hooks/stripe/${flowId}`, webhookUrl: `https://hooks.example.com/base/hooks/stripe/${flowId}` };
    expect(webhookUrlOf('webhook', flowId, saved, origin)).toBe(`https://hooks.example.com/base/hooks/webhook/${flowId}`);
  });
});
