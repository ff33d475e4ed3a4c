import { z } from 'zod';
import { userRoles } from './user.entity';

export const loginBody = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) }).strict();
export const tokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(userRoles).optional().describe('What the token may do, at most your own role (default: your role)'),
    expiresInDays: z.number().int().min(1).max(365).default(90),
  })
  .strict();
const password = z.string().min(10, 'must be at least 10 characters').max(1000);
export const userPatchBody = z
  .object({ role: z.enum(userRoles), disabled: z.boolean() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'has nothing to change');
export const passwordResetBody = z.object({ password }).strict();
export const passwordChangeBody = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: password }).strict();
export const userBody = z
  .object({
    email: z.email().max(320),
    password: z.string().min(10, 'must be at least 10 characters').max(1000),
    role: z.enum(userRoles),
  })
  .strict();
