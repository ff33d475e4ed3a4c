import { Module } from '@nestjs/common';
import { IntakeFormController } from './intake-form.controller';
import { IntakesController } from './intakes.controller';
import { IntakesService } from './intakes.service';

@Module({
  controllers: [IntakesController, IntakeFormController],
  providers: [IntakesService],
})
export class IntakesModule {}
