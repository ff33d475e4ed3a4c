import { Body, Controller, Get, HttpCode, MessageEvent, Param, Patch, Post, Query, Req, Sse } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { map, Observable } from 'rxjs';
import { CrmEvent } from './crm-notify';
import { NotificationStreamService } from '../notifications/notification-stream.service';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { CrmService } from './crm.service';
import { dealCreateBody, dealPatchBody } from './deal.dto';

const stageBody = z.object({ stage: z.string().trim().min(1, 'is required') }).strict();
const limitOf = (raw?: string) => (raw && /^\d+$/.test(raw) ? Number(raw) : undefined);

@ApiTags('crm')
@Controller('api/crm')
export class CrmController {
  constructor(
    private readonly crm: CrmService,
    private readonly notifications: NotificationStreamService,
    private readonly auth: AuthService,
  ) {}

  /** Server-sent events `{ kind: deal|task, dealId?, taskId? }` whenever anyone or any flow changes the CRM: boards refresh live. */
  @Sse('stream')
  stream(@Req() req: Request): Observable<MessageEvent> {
    const changes = this.notifications.stream<CrmEvent>('handoff_crm').pipe(map((e) => ({ data: e }) as MessageEvent));
    // The stream ends when the session or token it was opened with does (logout, expiry, disabled user), or the app stops.
    return this.notifications.sse(this.auth.signedOut(req), changes);
  }

  @Get('stages')
  @ApiOperation({ summary: 'The pipeline, in order: { items: [{ key, label }] }' })
  stages() {
    return this.crm.listStages();
  }

  @Get('deals')
  @ApiOperation({ summary: 'Deals, most recently touched first (keyset cursor); ?stage=a,b&recordType=profit|nonprofit&paymentStatus=failed,open&q (e-mail, name, customer id, product)' })
  deals(
    @Query('stage') stage?: string,
    @Query('q') q?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
    @Query('recordType') recordType?: string,
    @Query('paymentStatus') paymentStatus?: string,
    @Query('includeTest') includeTest?: string,
  ) {
    return this.crm.listDeals({ stage, q, cursor, limit: limitOf(limit), recordType, paymentStatus, includeTest: includeTest === 'true' });
  }

  @Get('deals/:id')
  @ApiOperation({ summary: 'One deal with its stage history' })
  deal(@Param('id') id: string) {
    return this.crm.getDeal(id);
  }

  @Post('deals')
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a deal: { title?, contact: { email, name?, stripeCustomerId? }, stage, amount (minor units), currency, product?, recordType?, fields? }; starts deal.created flows' })
  createDeal(@CurrentUser() user: AuthUser, @Body(new ZodPipe(dealCreateBody)) body: z.infer<typeof dealCreateBody>) {
    return this.crm.createDeal(user, body);
  }

  @Patch('deals/:id')
  @MinRole('editor')
  @ApiOperation({ summary: 'Change any of the deal fields (fields and stripe are merged); starts deal.updated / deal.stage_changed flows' })
  updateDeal(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(dealPatchBody)) body: z.infer<typeof dealPatchBody>) {
    return this.crm.updateDeal(user, id, body);
  }

  @Post('deals/:id/stage')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a deal to a stage; recorded in its history with the user' })
  moveStage(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(stageBody)) body: z.infer<typeof stageBody>) {
    return this.crm.moveStage(user, id, body.stage);
  }

  @Get('contacts/:id')
  @ApiOperation({ summary: 'One contact with its properties and deals' })
  contact(@Param('id') id: string) {
    return this.crm.getContact(id);
  }

  @Get('contacts')
  @ApiOperation({ summary: 'Contacts, most recently touched first; q searches e-mail, name and customer id' })
  contacts(@Query('q') q?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.crm.listContacts({ q, cursor, limit: limitOf(limit) });
  }
}
