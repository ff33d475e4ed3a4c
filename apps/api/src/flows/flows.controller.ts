import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { FlowsService } from './flows.service';

const publishBody = z.object({ note: z.string().max(500).nullish() }).strict().default({});
const flowDocSchema = { type: 'object', description: 'A flow document (schema handoff.flow/1), see DESIGN.md', required: ['schema', 'name', 'nodes', 'edges'] };

@ApiTags('flows')
@Controller('api/flows')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Get()
  list(@Query('cursor') cursor?: string) {
    return this.flows.list(cursor ?? null);
  }

  @Post()
  @MinRole('editor')
  @ApiBody({ schema: flowDocSchema })
  create(@CurrentUser() user: AuthUser, @Body() doc: unknown) {
    return this.flows.create(user, doc);
  }

  @Post('import')
  @MinRole('editor')
  @ApiBody({ schema: flowDocSchema })
  import(@CurrentUser() user: AuthUser, @Body() doc: unknown) {
    return this.flows.create(user, doc, 'flow.import');
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.flows.get(id);
  }

  @Put(':id')
  @MinRole('editor')
  @ApiBody({ schema: flowDocSchema })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() doc: unknown) {
    return this.flows.update(user, id, doc);
  }

  @Delete(':id')
  @MinRole('editor')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.flows.remove(user, id);
  }

  @Post(':id/publish')
  @MinRole('editor')
  @HttpCode(200)
  publish(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(publishBody)) body: z.infer<typeof publishBody>) {
    return this.flows.publish(user, id, body.note ?? null);
  }

  @Post(':id/pause')
  @MinRole('editor')
  @HttpCode(200)
  pause(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.flows.setPaused(user, id, true);
  }

  @Post(':id/resume')
  @MinRole('editor')
  @HttpCode(200)
  resume(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.flows.setPaused(user, id, false);
  }

  @Get(':id/versions')
  versions(@Param('id', ParseUUIDPipe) id: string) {
    return this.flows.listVersions(id);
  }

  @Get(':id/versions/:version')
  version(@Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.flows.getVersion(id, version);
  }

  @Post(':id/versions/:version/restore')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: "Makes that version's graph the draft (publish to make it live). 404 unknown version" })
  restore(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.flows.restoreVersion(user, id, version);
  }

  @Post(':id/discard-draft')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replaces the draft with the live version. 409 before the first publish' })
  discardDraft(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.flows.restoreVersion(user, id, 'live');
  }

  @Get(':id/export')
  export(@Param('id', ParseUUIDPipe) id: string) {
    return this.flows.exportDocument(id);
  }
}
