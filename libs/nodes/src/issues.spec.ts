import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeIssue, formatPath } from './issues';

const describeFirst = (schema: z.ZodType, input: unknown) => {
  const issue = schema.safeParse(input).error?.issues[0];
  if (!issue) throw new Error('expected the input to be refused');
  return describeIssue(issue, input);
};

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatPath(['nodes', 2, 'config', 'fields', 0, 'name'])).toBe('nodes[2].config.fields[0].name');
    expect(formatPath([])).toBe('');
  });
});

describe('describeIssue', () => {
  const schema = z.object({
    name: z.string(),
    days: z.number().int().min(1).max(365),
    tags: z.array(z.string()).min(2),
    mode: z.enum(['a', 'b']),
    code: z.string().min(1),
    note: z.string().max(3),
    custom: z.string().min(1, 'needs a value'),
  });
  const valid = { name: 'n', days: 1, tags: ['a', 'b'], mode: 'a', code: 'x', note: 'ok', custom: 'c' };

  it('says a missing field is required, and a wrong one what it should be', () => {
    expect(describeFirst(schema, { ...valid, name: undefined })).toBe('is required');
    expect(describeFirst(schema, { ...valid, name: 3 })).toBe('should be a string');
  });

  it('words limits for people', () => {
    expect(describeFirst(schema, { ...valid, days: 0 })).toBe('must be at least 1');
    expect(describeFirst(schema, { ...valid, days: 400 })).toBe('must be at most 365');
    expect(describeFirst(schema, { ...valid, tags: ['a'] })).toBe('needs at least 2 items');
    expect(describeFirst(schema, { ...valid, code: '' })).toBe('cannot be empty');
    expect(describeFirst(schema, { ...valid, note: 'long' })).toBe('must be at most 3 characters long');
    expect(describeFirst(schema, { ...valid, mode: 'c' })).toBe('should be one of a, b');
  });

  it('keeps a schema’s own message', () => {
    expect(describeFirst(schema, { ...valid, custom: '' })).toBe('needs a value');
  });

  it('lists unknown keys', () => {
    expect(describeFirst(schema.strict(), { ...valid, colour: 'red' })).toBe('has a setting Handoff does not know: colour');
  });
});
