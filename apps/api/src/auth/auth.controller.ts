import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { CurrentUser, MinRole, Public, type AuthUser } from './auth.decorators';
import { loginBody, passwordChangeBody, passwordResetBody, tokenBody, userBody, userPatchBody } from './auth.dto';
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

  @Post('auth/password')
  @HttpCode(204)
  changePassword(@CurrentUser() user: AuthUser, @Body(new ZodPipe(passwordChangeBody)) body: z.infer<typeof passwordChangeBody>, @Req() req: Request) {
    const session = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? null;
    return this.auth.changePassword(user, body.currentPassword, body.newPassword, session);
  }

  /** Your own bearer token for scripts: `{ name, role? (at most yours), expiresInDays? (default 90, at most 365) }`; shown once. */
  @Post('tokens')
  createToken(@CurrentUser() user: AuthUser, @Body(new ZodPipe(tokenBody)) body: z.infer<typeof tokenBody>) {
    return this.auth.createApiToken(user, body.name, body.role, body.expiresInDays);
  }

  /** Your tokens; `?all=true` for everyone's (admins). */
  @Get('tokens')
  listTokens(@CurrentUser() user: AuthUser, @Query('all') all?: string) {
    return this.auth.listApiTokens(user, all === 'true');
  }

  /** Revoke one of your tokens; admins may revoke anyone's. */
  @Delete('tokens/:id')
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

  /** `{ role?, disabled? }`: disabling ends their sessions and stops their tokens. The last active admin stays. */
  @Patch('users/:id')
  @MinRole('admin')
  updateUser(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(userPatchBody)) body: z.infer<typeof userPatchBody>) {
    return this.auth.updateUser(user, id, body);
  }

  @Delete('users/:id')
  @MinRole('admin')
  @HttpCode(204)
  deleteUser(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.auth.deleteUser(user, id);
  }

  /** An admin sets a new password for someone; their sessions end. */
  @Post('users/:id/password')
  @MinRole('admin')
  @HttpCode(204)
  resetPassword(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(passwordResetBody)) body: z.infer<typeof passwordResetBody>) {
    return this.auth.resetPassword(user, id, body.password);
  }
}
