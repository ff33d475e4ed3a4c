import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthUser, PUBLIC_KEY, ROLE_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { roleRank, UserRole } from './user.entity';

export { SESSION_COOKIE } from './session-cookie';
import { SESSION_COOKIE } from './session-cookie';
export const CSRF_HEADER = 'x-handoff-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const rank = roleRank;

/**
 * Global guard: every route needs a session cookie or a bearer API token unless marked
 * @Public. Cookie-authenticated writes must carry the x-handoff-csrf header, which a
 * cross-site form cannot set (SameSite=Lax covers the rest).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const user = await this.authenticate(req);
    if (!user) throw new UnauthorizedException({ statusCode: 401, message: 'Login required' });
    if (user.via === 'session' && !SAFE_METHODS.has(req.method) && !req.headers[CSRF_HEADER]) {
      throw new ForbiddenException({ statusCode: 403, message: `Missing ${CSRF_HEADER} header (required for cookie-authenticated changes)` });
    }
    const minRole = this.reflector.getAllAndOverride<UserRole | undefined>(ROLE_KEY, targets) ?? 'viewer';
    if (rank(user.role) < rank(minRole)) {
      throw new ForbiddenException({ statusCode: 403, message: `This needs the ${minRole} role; you are ${user.role}` });
    }
    req.user = user;
    return true;
  }

  private async authenticate(req: Request): Promise<AuthUser | null> {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return this.auth.userForApiToken(header.slice(7).trim());
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    return cookie ? this.auth.userForSession(cookie) : null;
  }
}
