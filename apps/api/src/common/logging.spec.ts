import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { logFormatFrom, prettyLine, prettyStream, redactPaths } from './logging';

const at = Date.parse('2026-12-01T14:05:09.000Z');

describe('logFormatFrom', () => {
  it('prints pretty lines to a terminal and JSON elsewhere, unless LOG_FORMAT says which', () => {
    expect(logFormatFrom(undefined, true)).toBe('pretty');
    expect(logFormatFrom(undefined, false)).toBe('json');
    expect(logFormatFrom('json', true)).toBe('json');
    expect(logFormatFrom('pretty', false)).toBe('pretty');
    expect(() => logFormatFrom('yaml', true)).toThrow('LOG_FORMAT must be pretty or json, got "yaml"');
  });
});

describe('prettyLine', () => {
  it('prints a run outcome as one line with its ids', () => {
    expect(prettyLine({ level: 30, time: at, context: 'StepExecutor', msg: 'run succeeded', runId: 'r1', flowId: 'f1', status: 'succeeded', role: 'all' })).toBe(
      '14:05:09 INFO  [StepExecutor] run succeeded  runId=r1 flowId=f1 status=succeeded',
    );
  });
  it('says nothing for Nest’s route and module chatter or for requests that went well', () => {
    expect(prettyLine({ level: 30, context: 'RouterExplorer', msg: 'Mapped {/api/flows, GET} route' })).toBeNull();
    expect(prettyLine({ level: 30, context: 'InstanceLoader', msg: 'AppModule dependencies initialized' })).toBeNull();
    expect(prettyLine({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/api/flows' }, res: { statusCode: 200 }, responseTime: 4 })).toBeNull();
  });
  it('prints failed requests, warnings and errors with their message', () => {
    expect(prettyLine({ level: 50, time: at, msg: 'request errored', req: { method: 'POST', url: '/api/flows' }, res: { statusCode: 500 }, responseTime: 12 })).toBe('14:05:09 ERROR POST /api/flows → 500 (12 ms)');
    expect(prettyLine({ level: 40, time: at, context: 'OutboxDelivery', msg: 'delivery failed: 500', messageId: 'm1', err: { message: 'boom' } })).toBe(
      '14:05:09 WARN  [OutboxDelivery] delivery failed: 500  messageId=m1 err=boom',
    );
    expect(prettyLine({ level: 40, time: at, context: 'RouterExplorer', msg: 'odd route' })).toBe('14:05:09 WARN  [RouterExplorer] odd route');
  });
});

describe('prettyStream', () => {
  it('writes one line per record pino logs, never the request headers (session cookie, tokens)', () => {
    const out: string[] = [];
    const log = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, prettyStream({ write: (s: string) => out.push(s) > 0 }));
    log.warn({ req: { method: 'GET', url: '/api/x', headers: { authorization: 'Bearer hf_secret_token', cookie: 'handoff_session=abc' } } }, 'odd request');
    log.info({ context: 'RoutesResolver' }, 'FlowsController {/api/flows}');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/WARN {2}odd request {2}req=GET \/api\/x\n$/);
    expect(out[0]).not.toContain('hf_secret_token');
    expect(out[0]).not.toContain('handoff_session=abc');
  });
});
