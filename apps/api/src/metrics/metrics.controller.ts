import { Controller, Get, Header, Headers, Inject, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ApiTags } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prometheus scrape endpoint (this process only). Open like /healthz, unless HANDOFF_METRICS_TOKEN asks scrapers for a bearer token. */
  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const expected = this.config.metricsToken;
    if (expected) {
      const given = Buffer.from(authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '');
      const want = Buffer.from(expected);
      if (given.length !== want.length || !timingSafeEqual(given, want)) throw new UnauthorizedException({ statusCode: 401, message: 'Scraping /metrics needs Authorization: Bearer <HANDOFF_METRICS_TOKEN>' });
    }
    return this.metrics.render();
  }
}
