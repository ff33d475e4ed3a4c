import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxDelivery } from './outbox-delivery.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxController } from './outbox.controller';
import { OutboxService } from './outbox.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  controllers: [OutboxController],
  providers: [OutboxService, OutboxDelivery],
  exports: [OutboxDelivery],
})
export class OutboxModule {}
