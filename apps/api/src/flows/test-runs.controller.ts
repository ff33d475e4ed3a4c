import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { TestRunsService } from './test-runs.service';

const testRunBody = z.object({ event: z.unknown().optional(), payload: z.unknown().optional() }).strict();

@ApiTags('flows')
@Controller('api/flows')
export class TestRunsController {
  constructor(private readonly testRuns: TestRunsService) {}

  /** Runs the draft with a sample Stripe event (`event`) or a manual payload (`payload`). */
  @Post(':id/test-run')
  @MinRole('editor')
  @HttpCode(201)
  start(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(testRunBody)) body: z.infer<typeof testRunBody>) {
    return this.testRuns.start(user, id, body);
  }
}
