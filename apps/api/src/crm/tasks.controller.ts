import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { TasksService } from './tasks.service';

const iso = z.iso.datetime({ offset: true, message: 'must be an ISO timestamp such as 2026-12-01T09:00:00Z' });
const taskBody = z
  .object({
    dealId: z.uuid('must be a deal id').nullish(),
    title: z.string().trim().min(1, 'is required').max(500),
    assignee: z.email('must be an e-mail address').max(320),
    dueAt: iso.nullish(),
  })
  .strict();
const taskPatch = z
  .object({ status: z.enum(['open', 'done']), title: z.string().trim().min(1).max(500), assignee: z.email('must be an e-mail address').max(320), dueAt: iso.nullable() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'has nothing to change');

@ApiTags('crm')
@Controller('api/crm/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Tasks, newest first: ?assignee=<e-mail>|me&status=open|done&dealId&cursor; each says whether it is overdue' })
  list(@CurrentUser() user: AuthUser, @Query('assignee') assignee?: string, @Query('status') status?: string, @Query('dealId') dealId?: string, @Query('cursor') cursor?: string) {
    return this.tasks.list(user, { assignee, status, dealId, cursor });
  }

  @Post()
  @MinRole('editor')
  @ApiOperation({ summary: 'Create a task: { dealId?, title, assignee (e-mail), dueAt? }' })
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(taskBody)) body: z.infer<typeof taskBody>) {
    return this.tasks.create(user, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a task, e.g. { status: "done" }: editors any task, others the tasks assigned to them' })
  update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(taskPatch)) body: z.infer<typeof taskPatch>) {
    return this.tasks.update(user, id, body);
  }
}
