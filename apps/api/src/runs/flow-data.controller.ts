import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { FlowDataService } from './flow-data.service';

@ApiTags('flows')
@Controller('api/flows')
export class FlowDataController {
  constructor(private readonly data: FlowDataService) {}

  /** The newest run's trigger data and the newest output of each step: the editor's field picker samples. Anyone who reads runs may read it. */
  @Get(':id/sample')
  sample(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.data.sampleOf(id, user);
  }
}
