import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { ReviewsService } from './reviews.service';

const decisionBody = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(2000).nullish() }).strict();

@ApiTags('reviews')
@Controller('api/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  list(@Query('status') status?: string, @Query('cursor') cursor?: string, @Query('includeTest') includeTest?: string) {
    return this.reviews.list(status, cursor, includeTest === 'true');
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
