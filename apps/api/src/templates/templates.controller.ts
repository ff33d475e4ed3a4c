import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { flowTemplates } from '@handoff/nodes';

@ApiTags('templates')
@Controller('api/templates')
export class TemplatesController {
  @Get()
  @ApiOperation({ summary: 'Flow templates for "new from template": { items: [{ id, name, description, document }] }' })
  list() {
    return { items: flowTemplates, nextCursor: null };
  }
}
