import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { IntakesService } from './intakes.service';

/** The client's form behind the link; the token is the only key. */
@ApiTags('intakes')
@Controller('intake-api')
export class IntakeFormController {
  constructor(private readonly intakes: IntakesService) {}

  @Public()
  @Get(':token')
  @ApiOperation({ summary: 'The form: { fields, status, contact: { name, email }, expiresAt }; marks it opened. 404 unknown link, 410 expired or already sent' })
  form(@Param('token') token: string) {
    return this.intakes.openForm(token);
  }

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the answers { answers: { <question>: text } } once. 400 with the problems, 404, 409 already sent, 410 expired' })
  submit(@Param('token') token: string, @Body() body: unknown) {
    return this.intakes.submit(token, body);
  }
}
