import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { pinoHttp } from 'pino-http';
import { AppModule, httpLogOptions } from './app.module';
import { AuthService } from './auth/auth.service';
import type { AppConfig } from './config/config';
import { SecretBox } from './credentials/secret-box';
import { runMigrations } from './database/data-source';
import { countWebhookBodyErrors } from './metrics/metrics';
import { startEmbeddedPostgres, EmbeddedDb } from './database/embedded-postgres';
import { parsePolicy } from './outbound/address-policy';
import { setOutboundPolicy } from './outbound/outbound';
import { SESSION_COOKIE } from './auth/session-cookie';
import { HttpErrorFilter } from './common/http-exception.filter';
import { hooksInFront } from './triggers/hooks-in-front';
import { TriggersService } from './triggers/triggers.service';
import { LONE_SURROGATE } from './triggers/storable';

export interface Database {
  url: string;
  embedded: EmbeddedDb | null;
}

export async function openDatabase(config: AppConfig, log: (line: string) => void = () => undefined): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.dbPort, log });
  return { url: embedded.url, embedded };
}

/** Embedded mode keeps its generated key in the data dir; with an external database the operator must supply one. */
export function resolveSecretKey(config: AppConfig): string {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) {
    throw new Error('HANDOFF_SECRET_KEY is required with DATABASE_URL (32 random bytes, base64): every process sharing the database needs the same key. Generate one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"');
  }
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = SecretBox.generateKey();
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

const API_PREFIXES = ['/api', '/hooks', '/healthz', '/readyz', '/metrics', '/intake-api'];

function serveWeb(app: NestExpressApplication, webDir: string | null): void {
  const index = webDir ? join(webDir, 'index.html') : null;
  if (webDir && index && existsSync(index)) {
    app.use(express.static(webDir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  }
  // Browser routes (/flows/..., /intake/:token) all render the single-page app.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || API_PREFIXES.some((p) => req.path === p || req.path.startsWith(p + '/'))) return next();
    if (index && existsSync(index)) {
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    }
    res.status(404).type('text/plain').send('The web app is not built. Run `npm start` (it builds it) or `npx nx run web:build`.');
  });
}

const NUL_MESSAGE = 'Text may not contain the NUL character (\\u0000)';
const SURROGATE_MESSAGE = 'Text may not contain an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF)';

/**
 * PostgreSQL cannot store U+0000 in text or jsonb, nor an unpaired surrogate in jsonb (and text
 * would store it mangled): refuse both at the door with a 400, not a 500 later.
 */
function refuseUnstorable(key: string, value: unknown): unknown {
  for (const text of typeof value === 'string' ? [key, value] : [key]) {
    if (text.includes('\u0000')) throw new SyntaxError(NUL_MESSAGE);
    if (LONE_SURROGATE.test(text)) throw new SyntaxError(SURROGATE_MESSAGE);
  }
  return value;
}

/** Body-parser failures are the client's: say what was wrong instead of a 500. */
function bodyErrors(err: { type?: string; status?: number } | undefined, _req: Request, res: Response, next: NextFunction): void {
  if (!err) return next();
  if (err.type === 'entity.parse.failed') {
    const said = (err as { message?: string }).message ?? '';
    const message = [NUL_MESSAGE, SURROGATE_MESSAGE].find((m) => said.includes(m)) ?? 'Malformed JSON body';
    return void res.status(400).json({ statusCode: 400, message });
  }
  if (err.type === 'entity.too.large') return void res.status(413).json({ statusCode: 413, message: 'Request body too large (limit 1 MiB)' });
  if (err.status && err.status >= 400 && err.status < 500) return void res.status(err.status).json({ statusCode: err.status, message: 'Unreadable request body' });
  next(err);
}

const MAX_JSON_DEPTH = 64;

/** Nesting of a parsed JSON value, measured without recursion (a 2,000-deep body must not blow the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** Every validator and walker after this point may recurse: bodies nested absurdly deep are refused first. */
function refuseDeepJson(req: Request, res: Response, next: NextFunction): void {
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) && depthOf(req.body) > MAX_JSON_DEPTH) {
    return void res.status(400).json({ statusCode: 400, message: `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep` });
  }
  next();
}

/**
 * Every query parameter of the API is one plain value: a parameter given twice would reach a
 * handler as an array, and `?flowId[]=x` or `?q[a]=1` under another name, and either way the
 * filter was ignored with a 200.
 */
function refuseListsInQuery(req: Request, res: Response, next: NextFunction): void {
  // Bracket names (`flowId[]`, `q[a]`) are list or object syntax for another parser: here they name no parameter at all.
  const odd = Object.entries(req.query).find(([k, v]) => typeof v !== 'string' || k.includes('['));
  if (odd) {
    const name = odd[0].split('[')[0];
    return void res.status(400).json({ statusCode: 400, message: `Query parameter "${name}" must be given once, as plain text (lists are comma-separated: a,b)` });
  }
  next();
}

/** A NUL in a path or query cannot be stored or compared by Postgres text: refuse it up front. */
function refuseNulInUrl(req: Request, res: Response, next: NextFunction): void {
  if (/%00/i.test(req.url) || req.url.includes('\u0000')) return void res.status(400).json({ statusCode: 400, message: NUL_MESSAGE });
  next();
}

// The web app loads only its own scripts; React Flow positions nodes with inline styles.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  // Swagger UI at /api/docs runs an inline script of its own; everything else gets the strict policy.
  if (!req.path.startsWith('/api/docs')) res.setHeader('Content-Security-Policy', CSP);
  // Over HTTPS (directly or through a trusted proxy), browsers are told to stay on HTTPS.
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  next();
}

/** HANDOFF_API_DOCS_LOGIN=true: the API reference only for a logged-in session or a valid token. */
function docsForUsers(auth: AuthService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const session = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const who = bearer ? auth.userForApiToken(bearer) : session ? auth.userForSession(session) : Promise.resolve(null);
    who.then(
      (user) => (user ? next() : void res.status(401).json({ statusCode: 401, message: 'Log in to read the API reference' })),
      next,
    );
  };
}

export interface Handoff {
  app: INestApplication;
  url: string;
  admin: { email: string; password: string | null } | null;
  close(): Promise<void>;
}

/** Builds and starts the HTTP app on an already migrated database. Used by main and by the tests. */
export async function startHandoff(config: AppConfig, databaseUrl: string, secretKey: string): Promise<Handoff> {
  setOutboundPolicy(parsePolicy(config.allowPrivateNetworks, config.allowedHosts));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, secretKey), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Only these proxies may say who the client is (X-Forwarded-For): anyone else could pick an address to dodge login limits.
  app.set('trust proxy', config.trustedProxies === '' ? false : config.trustedProxies);
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(refuseNulInUrl);
  app.use('/api', refuseListsInQuery);
  app.use(cookieParser());
  // Webhooks are verified on the exact bytes Stripe signed: keep them raw.
  const readHookBody = express.raw({ type: () => true, limit: '1mb' });
  app.use('/hooks', readHookBody, countWebhookBodyErrors);
  app.use(express.json({ limit: '1mb', reviver: refuseUnstorable }));
  app.use(bodyErrors);
  app.use(refuseDeepJson);

  const openapi = new DocumentBuilder()
    .setTitle('Handoff API')
    .setDescription('Flows, runs, reviews, CRM and webhooks. Session cookie for the UI, bearer API tokens for scripts.')
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('handoff_session')
    .build();
  if (config.apiDocsLogin) app.use(['/api/docs', '/api/docs-json', '/api/docs-yaml'], docsForUsers(app.get(AuthService)));
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openapi));
  serveWeb(app, config.webDir);
  // Nest registers its middleware (the access log) on init; the webhook path needs its root logger.
  await app.init();
  hooksInFront(app.getHttpServer(), {
    express: app.getHttpAdapter().getInstance(),
    triggers: app.get(TriggersService),
    errors: new HttpErrorFilter(),
    headers: securityHeaders,
    readBody: readHookBody,
    bodyErrors: [countWebhookBodyErrors, bodyErrors],
    httpLog: pinoHttp({ ...httpLogOptions(config), logger: PinoLogger.root }),
  });

  const admin = await app.get(AuthService).ensureAdmin();
  await app.listen(config.port, config.host).catch(async (e: NodeJS.ErrnoException) => {
    // The worker is up already: stop it before the caller stops the database.
    await app.close().catch(() => undefined);
    throw e.code === 'EADDRINUSE' ? new Error(`Port ${config.port} is already in use. Set PORT to a free port.`) : e;
  });
  const address = app.getHttpServer().address() as { port: number };
  const url = config.publicUrl ?? `http://localhost:${address.port}`;
  return { app, url, admin, close: () => app.close() };
}

export async function migrate(url: string): Promise<string[]> {
  return runMigrations(url);
}
