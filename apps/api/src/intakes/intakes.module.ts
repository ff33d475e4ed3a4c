import { Module } from '@nestjs/common';
import { IntakeFormController } from './intake-form.controller';
import { IntakesController } from './intakes.controller';
import { IntakesStaffService } from './intakes-staff.service';
import { IntakesService } from './intakes.service';

@Module({
  controllers: [IntakesController, IntakeFormController],
  providers: [IntakesService, IntakesStaffService],
})
export class IntakesModule {}
