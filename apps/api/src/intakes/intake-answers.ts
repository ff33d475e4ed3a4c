import type { IntakeFieldDef } from './intake.entity';

export const MAX_ANSWER_LENGTH = 5000;

export interface AnswerProblem {
  path: string;
  message: string;
}

export type AnswersCheck = { ok: true; answers: Record<string, string> } | { ok: false; problems: AnswerProblem[] };

/**
 * Checks a client's answers against the form's questions: every answer is text of at most
 * 5000 characters, required questions are answered, and nothing else is sent. Answers are
 * stored trimmed; empty optional answers are left out.
 */
export function checkAnswers(fields: readonly IntakeFieldDef[], answers: unknown): AnswersCheck {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return { ok: false, problems: [{ path: 'answers', message: 'must be an object of question → answer' }] };
  }
  const given = answers as Record<string, unknown>;
  const problems: AnswerProblem[] = [];
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) problems.push({ path: `answers.${key}`, message: 'is not a question on this form' });
  }
  const out: Record<string, string> = {};
  for (const f of fields) {
    // Own properties only: a question named "constructor" must not read Object.prototype's.
    const value = Object.hasOwn(given, f.name) ? given[f.name] : undefined;
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ path: `answers.${f.name}`, message: `(${f.label}) must be text` });
      continue;
    }
    const text = (value ?? '').trim();
    if (text.length > MAX_ANSWER_LENGTH) {
      problems.push({ path: `answers.${f.name}`, message: `(${f.label}) must be at most ${MAX_ANSWER_LENGTH} characters, got ${text.length}` });
    } else if (text === '') {
      if (f.required) problems.push({ path: `answers.${f.name}`, message: `(${f.label}) is required` });
    } else {
      out[f.name] = text;
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, answers: out };
}
