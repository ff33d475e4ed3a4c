import { describe, expect, it } from 'vitest';
import { checkAnswers } from './intake-answers';

const fields = [
  { name: 'company', label: 'Company name', required: true },
  { name: 'notes', label: 'Anything else?', required: false },
];

describe('checkAnswers', () => {
  it('accepts the required answers, trims them and leaves out empty optional ones', () => {
    expect(checkAnswers(fields, { company: '  Acme Ltd ', notes: '   ' })).toEqual({ ok: true, answers: { company: 'Acme Ltd' } });
  });

  it('names every problem: a missing required answer, a question that is not on the form, text that is too long or not text', () => {
    const result = checkAnswers(fields, { company: ' ', extra: 'x', notes: 'y'.repeat(5001) });
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: 'answers.extra', message: 'is not a question on this form' },
        { path: 'answers.company', message: '(Company name) is required' },
        { path: 'answers.notes', message: '(Anything else?) must be at most 5000 characters, got 5001' },
      ],
    });
    expect(checkAnswers(fields, { company: 42 })).toMatchObject({ ok: false, problems: [{ path: 'answers.company', message: '(Company name) must be text' }] });
  });

  it('accepts exactly 5000 characters and refuses answers that are not an object', () => {
    expect(checkAnswers(fields, { company: 'a'.repeat(5000) }).ok).toBe(true);
    expect(checkAnswers(fields, ['Acme'])).toEqual({ ok: false, problems: [{ path: 'answers', message: 'must be an object of question → answer' }] });
    expect(checkAnswers(fields, undefined).ok).toBe(false);
  });

  it('lets a question named like an Object property (constructor) be left blank when optional', () => {
    expect(checkAnswers([{ name: 'constructor', label: 'Builder', required: false }], {})).toEqual({ ok: true, answers: {} });
  });
});
