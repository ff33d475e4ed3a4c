import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveController } from './live.controller';

@Module({ imports: [AuthModule], controllers: [LiveController] })
export class LiveModule {}
