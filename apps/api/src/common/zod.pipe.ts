import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface FieldProblem {
  path: string;
  message: string;
}

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Validates a request part with the same zod schema the web app uses. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const problems = zodProblems(parsed.error);
    throw new BadRequestException({
      statusCode: 400,
      message: `Invalid ${this.what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    });
  }
}
