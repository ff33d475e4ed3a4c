import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { OutboxService } from './outbox.service';

@ApiTags('outbox')
@Controller('api/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query('status') status?: string, @Query('runId') runId?: string, @Query('cursor') cursor?: string) {
    return this.outbox.list({ status, runId, cursor }, user);
  }

  @Post(':id/retry')
  @MinRole('editor')
  retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.outbox.retry(user, id);
  }
}
