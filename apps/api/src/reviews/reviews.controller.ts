import { Body, Controller, Get, HttpCode, MessageEvent, Param, ParseUUIDPipe, Post, Query, Req, Sse } from '@nestjs/common';
import type { Request } from 'express';
import { interval, map, merge, Observable, takeUntil } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import type { ReviewEvent } from '../engine/notify';
import { NotificationStreamService } from '../notifications/notification-stream.service';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { ReviewsService } from './reviews.service';

const decisionBody = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(2000).nullish() }).strict();

@ApiTags('reviews')
@Controller('api/reviews')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly notifications: NotificationStreamService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  list(@Query('status') status?: string, @Query('cursor') cursor?: string, @Query('includeTest') includeTest?: string) {
    return this.reviews.list(status, cursor, includeTest === 'true');
  }

  /** Server-sent events `{ reviewId, runId, status }` when a review is created, decided, expires or is cancelled: inboxes and badges refetch. */
  @Sse('stream')
  stream(@Req() req: Request): Observable<MessageEvent> {
    const changes = this.notifications.stream<ReviewEvent>('handoff_reviews').pipe(map((e) => ({ data: e }) as MessageEvent));
    // The stream ends when the session or token it was opened with does (logout, expiry, disabled user).
    return merge(changes, interval(15_000).pipe(map(() => ({ type: 'ping', data: {} }) as MessageEvent))).pipe(takeUntil(this.auth.signedOut(req)));
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.get(id);
  }

  @Post(':id/decision')
  @MinRole('reviewer')
  @HttpCode(200)
  decide(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(decisionBody)) body: z.infer<typeof decisionBody>) {
    return this.reviews.decide(user, id, body.decision, body.note ?? null);
  }
}
