import { z } from 'zod';
import { userRoles } from './user.entity';

export const loginBody = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) }).strict();
export const tokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const userBody = z
  .object({
    email: z.email().max(320),
    password: z.string().min(10, 'must be at least 10 characters').max(1000),
    role: z.enum(userRoles),
  })
  .strict();
