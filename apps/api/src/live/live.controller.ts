import { Controller, MessageEvent, Req, Sse } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { map, Observable } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import type { CrmEvent } from '../crm/crm-notify';
import type { ReviewEvent } from '../engine/notify';
import { NotificationStreamService } from '../notifications/notification-stream.service';

/**
 * One stream for everything the whole signed-in app keeps live (boards, task counts, the
 * review inbox and its badge). Browsers allow about six connections per host over HTTP/1.1,
 * shared by every tab: one app-wide stream plus the page's own run stream keeps two tabs
 * (or three) working.
 */
@ApiTags('live')
@Controller('api/stream')
export class LiveController {
  constructor(
    private readonly notifications: NotificationStreamService,
    private readonly auth: AuthService,
  ) {}

  @Sse()
  @ApiOperation({ summary: 'Server-sent events: { topic: "crm", kind, dealId?, taskId? } and { topic: "reviews", reviewId, runId, status }' })
  stream(@Req() req: Request): Observable<MessageEvent> {
    const crm = this.notifications.stream<CrmEvent>('handoff_crm').pipe(map((e) => ({ data: { topic: 'crm', ...e } }) as MessageEvent));
    const reviews = this.notifications.stream<ReviewEvent>('handoff_reviews').pipe(map((e) => ({ data: { topic: 'reviews', ...e } }) as MessageEvent));
    // The stream ends when the session or token it was opened with does (logout, expiry, disabled user), or the app stops.
    return this.notifications.sse(this.auth.signedOut(req), crm, reviews);
  }
}
