import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Credential } from './credential.entity';
import { CredentialsController } from './credentials.controller';
import { CredentialsService, SECRET_BOX } from './credentials.service';
import { SecretBox } from './secret-box';

@Global()
@Module({})
export class CredentialsModule {
  static forRoot(secretKey: string): DynamicModule {
    return {
      module: CredentialsModule,
      imports: [TypeOrmModule.forFeature([Credential])],
      controllers: [CredentialsController],
      providers: [CredentialsService, { provide: SECRET_BOX, useValue: new SecretBox(secretKey) }],
      exports: [CredentialsService],
    };
  }
}
