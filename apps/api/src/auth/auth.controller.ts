import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { CurrentUser, MinRole, Public, type AuthUser } from './auth.decorators';
import { loginBody, tokenBody, userBody } from './auth.dto';
import { SESSION_COOKIE } from './auth.guard';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body(new ZodPipe(loginBody)) body: z.infer<typeof loginBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { user, sessionToken, expiresAt } = await this.auth.login(body.email, body.password, req.ip ?? null);
    res.cookie(SESSION_COOKIE, sessionToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, expires: expiresAt, path: '/' });
    return { user };
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('auth/me')
  me(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email, role: user.role };
  }

  @Post('tokens')
  @MinRole('admin')
  createToken(@CurrentUser() user: AuthUser, @Body(new ZodPipe(tokenBody)) body: z.infer<typeof tokenBody>) {
    return this.auth.createApiToken(user, body.name);
  }

  @Get('tokens')
  @MinRole('admin')
  listTokens(@CurrentUser() user: AuthUser) {
    return this.auth.listApiTokens(user);
  }

  @Delete('tokens/:id')
  @MinRole('admin')
  @HttpCode(204)
  revokeToken(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.auth.revokeApiToken(user, id);
  }

  @Post('users')
  @MinRole('admin')
  createUser(@CurrentUser() user: AuthUser, @Body(new ZodPipe(userBody)) body: z.infer<typeof userBody>) {
    return this.auth.createUser(user, body.email, body.password, body.role);
  }

  @Get('users')
  @MinRole('admin')
  listUsers() {
    return this.auth.listUsers();
  }
}
