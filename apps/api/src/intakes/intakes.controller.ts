import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { IntakesStaffService } from './intakes-staff.service';

@ApiTags('intakes')
@Controller('api/intakes')
export class IntakesController {
  constructor(private readonly intakes: IntakesStaffService) {}

  @Get()
  @ApiOperation({ summary: 'Onboarding intakes, newest first, 50 a page; status = sent | opened | submitted | expired; q finds e-mail, name or deal. Links masked for viewers and reviewers' })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'flowId', required: false })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@CurrentUser() user: AuthUser, @Query('status') status?: unknown, @Query('flowId') flowId?: unknown, @Query('q') q?: unknown, @Query('cursor') cursor?: unknown) {
    return this.intakes.list({ status, flowId, q, cursor }, user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One intake: its questions (fields), answers, link, flow, deal and last message' })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.intakes.get(id, user);
  }

  @Post(':id/resend')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends the intake e-mail again (same link) through the outbox. 409 with the reason when there is nothing to resend' })
  resend(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.intakes.resend(user, id);
  }
}
