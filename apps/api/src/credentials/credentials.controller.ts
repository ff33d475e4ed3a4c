import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { credentialTypes } from './credential-types';
import { CredentialsService } from './credentials.service';

const createBody = z
  .object({
    type: z.enum(credentialTypes as [string, ...string[]]),
    name: z.string().trim().min(1).max(100),
    secret: z.unknown().refine((v) => v !== undefined && v !== null && v !== '', 'secret is required'),
  })
  .strict();

@ApiTags('credentials')
@Controller('api/credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post()
  @MinRole('editor')
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(createBody)) body: z.infer<typeof createBody>) {
    return this.credentials.create(user, body.type as (typeof credentialTypes)[number], body.name, body.secret);
  }

  @Get()
  list(@Query('type') type?: string) {
    return this.credentials.list(type);
  }

  @Delete(':id')
  @MinRole('editor')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.remove(user, id);
  }
}
