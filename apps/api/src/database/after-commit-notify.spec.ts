import { describe, expect, it } from 'vitest';
import { packed } from './after-commit-notify';

describe('packed', () => {
  it('sends one notification per channel, as a JSON array when there are several, in order', () => {
    const out = packed(['runs', 'crm', 'runs', 'runs'], ['{"a":1}', '{"d":1}', '{"b":2}', '{"c":3}']);
    expect(out.channels).toEqual(['runs', 'crm']);
    expect(out.payloads.map((p) => JSON.parse(p) as unknown)).toEqual([[{ a: 1 }, { b: 2 }, { c: 3 }], { d: 1 }]);
  });

  it('starts another notification before a payload would pass Postgres’s 8,000-byte limit', () => {
    const one = JSON.stringify({ runId: 'x'.repeat(90) });
    const out = packed(Array(200).fill('runs'), Array(200).fill(one));
    expect(out.payloads.every((p) => p.length < 8000)).toBe(true);
    expect(out.payloads.length).toBeGreaterThan(1);
    expect(out.payloads.flatMap((p) => JSON.parse(p) as unknown[])).toHaveLength(200);
  });

  it('leaves a single payload as it is', () => {
    expect(packed(['runs'], ['{"a":1}'])).toEqual({ channels: ['runs'], payloads: ['{"a":1}'] });
  });
});
