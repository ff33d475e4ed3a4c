import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from './database-unavailable';

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

/**
 * Every error answers `{ statusCode, message, problems? }`. Body-parser failures
 * (malformed JSON, too large) are client errors, not 500s.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    this.reply(exception, host.switchToHttp().getResponse<Response>());
  }

  /** The answer to `exception` on `res`; also used by the webhook path in front of Nest (hooks-in-front.ts). */
  reply(exception: unknown, res: Response): void {
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { statusCode: status, message: body } : { statusCode: status, ...(body as object) };
      const msg = (payload as { message?: unknown }).message;
      if (Array.isArray(msg)) (payload as { message: unknown }).message = msg.join('; ');
      delete (payload as { error?: unknown }).error;
      res.status(status).json(payload);
      return;
    }
    const e = (exception ?? {}) as HttpishError;
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) {
      const message = e.type === 'entity.too.large' ? 'Request body too large' : e.type === 'entity.parse.failed' ? 'Malformed JSON body' : (e.message ?? 'Bad request');
      res.status(status).json({ statusCode: status, message });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      // A client that retries (Stripe does, and a retried event is never run twice) gets through once the database is back.
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      res.status(503).setHeader('Retry-After', '5').json({ statusCode: 503, message: 'The database is unavailable; retry shortly' });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}
