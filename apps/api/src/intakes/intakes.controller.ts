import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IntakesService } from './intakes.service';

@ApiTags('intakes')
@Controller('api/intakes')
export class IntakesController {
  constructor(private readonly intakes: IntakesService) {}

  @Get()
  @ApiOperation({ summary: 'Onboarding intakes, newest first; status = sent | opened | submitted | expired' })
  list(@Query('status') status?: string, @Query('cursor') cursor?: string) {
    return this.intakes.list({ status, cursor });
  }
}
