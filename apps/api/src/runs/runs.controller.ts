import { BadRequestException, Body, Controller, Get, HttpCode, MessageEvent, Param, ParseUUIDPipe, Post, Query, Req, Sse } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { defer, filter, map, Observable } from 'rxjs';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { NotificationStreamService } from '../notifications/notification-stream.service';
import type { RunEvent } from '../engine/notify';
import type { RunStatus } from './run.entity';
import { RunsService } from './runs.service';

const bulkRetryBody = z
  .object({
    ids: z.array(z.string().uuid('each id must be a run id (UUID)')).min(1, 'ids must name at least one run').max(100, 'at most 100 runs at a time'),
    version: z.literal('latest').optional(),
  })
  .strict();

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly notifications: NotificationStreamService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  list(
    @Query('flowId') flowId?: string,
    @Query('status') status?: RunStatus,
    @Query('q') q?: string,
    @Query('since') since?: string,
    @Query('until') until?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.runs.list({ flowId, status, q, since, until, cursor, limit: limit ? Number(limit) || 50 : undefined });
  }

  /**
   * Server-sent events: `{ runId, flowId, runStatus?, nodeId?, stepStatus?, port?, attempt? }`,
   * optionally for one run or flow; `level=run` leaves out step messages (what a run list needs:
   * a busy system sends several step messages per run).
   */
  @Sse('stream')
  events(@Req() req: Request, @Query('runId') runId?: string, @Query('flowId') flowId?: string, @Query('level') level?: string): Observable<MessageEvent> {
    if (level !== undefined && level !== 'run') throw new BadRequestException({ statusCode: 400, message: 'level may only be run' });
    const updates = this.notifications.stream<RunEvent>('handoff_runs').pipe(
      filter((e) => (!runId || e.runId === runId) && (!flowId || e.flowId === flowId) && (level !== 'run' || e.runStatus !== undefined)),
      map((e) => ({ data: e }) as MessageEvent),
    );
    // `ready`: from here on no change is missed (a client that must not miss the first step waits for it).
    const ready = defer(() => this.notifications.whenListening()).pipe(map(() => ({ type: 'ready', data: {} }) as MessageEvent));
    // The stream ends when the session or token it was opened with does (logout, expiry, disabled user), or the app stops.
    return this.notifications.sse(this.auth.signedOut(req), updates, ready);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.get(id, user);
  }

  @Post('retry')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retries several failed runs, each on its own: { ids, version?: latest } → { results: [{ id, ok, statusCode, status? | message? }] }' })
  retryMany(@CurrentUser() user: AuthUser, @Body(new ZodPipe(bulkRetryBody)) body: z.infer<typeof bulkRetryBody>) {
    return this.runs.retryMany(user, [...new Set(body.ids)], { latest: body.version === 'latest' });
  }

  @Post(':id/retry')
  @MinRole('editor')
  retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Query('version') version?: string) {
    if (version !== undefined && version !== 'latest') throw new BadRequestException({ statusCode: 400, message: 'version may only be latest' });
    return this.runs.retry(user, id, { latest: version === 'latest' });
  }

  @Post(':id/cancel')
  @MinRole('editor')
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.cancel(user, id);
  }
}
