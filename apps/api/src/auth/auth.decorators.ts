import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from './user.entity';

export interface AuthUser {
  id: string;
  email: string;
  role: UserRole;
  via: 'session' | 'token';
}

export const PUBLIC_KEY = 'handoff:public';
export const ROLE_KEY = 'handoff:minRole';

/** No login needed (webhooks, health, public intake form, login itself). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Lowest role allowed; roles are ordered viewer < reviewer < editor < admin. */
export const MinRole = (role: UserRole) => SetMetadata(ROLE_KEY, role);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
