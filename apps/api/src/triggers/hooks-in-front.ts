import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { storage, Store } from 'nestjs-pino/storage';
import type { HttpLogger } from 'pino-http';
import type { HttpErrorFilter } from '../common/http-exception.filter';
import type { TriggersService } from './triggers.service';

/**
 * Exactly the URLs this path takes: `/hooks/<hook>/<flowId>`, no query, no trailing slash, no
 * percent-encoding (so the parameters need no decoding and cannot hide a NUL). Anything else,
 * including every unusual spelling Express would still route, goes to Express as before.
 */
const DELIVERY = /^\/hooks\/([^/?#%]+)\/([^/?#%]+)$/;

export interface HooksInFront {
  /** Express's application: its request/response prototypes give the answers Express would give. */
  express: Express;
  triggers: TriggersService;
  /** The app's error answers (what Nest's global filter answers). */
  errors: HttpErrorFilter;
  /** The app-level middleware a delivery passes before its body is read (security headers). */
  headers: RequestHandler;
  /** The raw body reader Express runs on /hooks (same limit, same inflation, same errors). */
  readBody: RequestHandler;
  /** The error middleware that answers body errors (counted, then 413/400/415). */
  bodyErrors: ErrorRequestHandler[];
  /** A pino-http logger with the access log's options, on the same root logger. */
  httpLog: HttpLogger;
}

/**
 * Webhook deliveries (issue #17) are answered by a plain `request` listener in front of Express
 * and Nest: the same middleware functions and the same TriggersService.receive, without the
 * router's walk over every route and Nest's per-request guard/pipe/interceptor pipeline. Every
 * other request, and any delivery URL outside the plain form, goes to Express untouched.
 * The Nest controller stays: it documents the route and answers the URLs this path leaves to it.
 *
 * What a delivery passes here is what it passes through Express, in the same order: security
 * headers, the raw body (its errors answered before any access log, as there), pino-http and
 * nestjs-pino's request context (so every log line is the same), then the controller's call and
 * the global filter's error answers.
 */
export function hooksInFront(server: Server, deps: HooksInFront): void {
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = req.method === 'POST' && req.url ? DELIVERY.exec(req.url) : null;
    if (match) deliver(deps, req, res, match[1], match[2]);
    else for (const listener of others) listener(req, res);
  });
}

function deliver(deps: HooksInFront, incoming: IncomingMessage, out: ServerResponse, hook: string, flowId: string): void {
  const { req, res } = asExpress(deps.express, incoming, out, hook, flowId);
  const failed = (err: unknown) => deps.errors.reply(err, res);
  // Express would catch a middleware's throw and answer it: so does this path.
  try {
    deps.headers(req, res, (err?: unknown) => {
      if (err) return failed(err);
      deps.readBody(req, res, (err?: unknown) => {
        if (err) return bodyError(deps.bodyErrors, err, req, res, failed);
        deps.httpLog(req, res, () => storage.run(new Store(req.log), () => void answer(deps, req, res, hook, flowId)));
      });
    });
  } catch (e) {
    failed(e);
  }
}

/** What HooksController.receive does, and Nest with its result: 200 with the ack as JSON, or the filter's answer. */
async function answer(deps: HooksInFront, req: Request, res: Response, hook: string, flowId: string): Promise<void> {
  try {
    const rawBody: unknown = req.body;
    const ack = await deps.triggers.receive(hook, { flowId, rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0), headers: req.headers });
    res.status(200).json(ack);
  } catch (e) {
    deps.errors.reply(e, res);
  }
}

/** Runs the body error handlers in order, as Express does; one that passes the error on leaves it to the filter. */
function bodyError(handlers: ErrorRequestHandler[], err: unknown, req: Request, res: Response, last: (err: unknown) => void): void {
  const [first, ...rest] = handlers;
  if (!first) return last(err);
  const next: NextFunction = (e?: unknown) => (e ? bodyError(rest, e, req, res, last) : last(err));
  first(err, req, res, next);
}

/**
 * What Express does to each request before routing (application.handle): its request and
 * response methods by prototype, so res.json, req.secure and the body reader behave as there.
 * `params` is what the access log showed for this route under Nest's catch-all middleware.
 */
function asExpress(app: Express, incoming: IncomingMessage, out: ServerResponse, hook: string, flowId: string): { req: Request; res: Response } {
  Object.setPrototypeOf(incoming, app.request);
  Object.setPrototypeOf(out, app.response);
  const req = incoming as Request;
  const res = out as Response;
  req.res = res;
  res.req = req;
  res.locals = Object.create(null) as Response['locals'];
  req.originalUrl = req.url;
  Object.assign(req, { params: { path: ['hooks', hook, flowId] } });
  return { req, res };
}
