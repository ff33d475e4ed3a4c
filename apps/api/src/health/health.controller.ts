import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers and every migration is applied. */
  @Public()
  @Get('readyz')
  async ready() {
    try {
      await this.db.query('SELECT 1');
      const pending = await this.db.showMigrations();
      if (pending) throw new Error('migrations pending');
      return { status: 'ready', database: 'ok', migrations: 'applied' };
    } catch (e) {
      throw new ServiceUnavailableException({ statusCode: 503, message: `Not ready: ${(e as Error).message}` });
    }
  }
}
