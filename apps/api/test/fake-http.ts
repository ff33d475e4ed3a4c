import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

/** A local stand-in for a third-party HTTP API (Slack, HubSpot, a provisioning service). */
export class FakeHttp {
  readonly requests: Recorded[] = [];
  private handler: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  private server: Server | null = null;
  private losses: Array<{ route: string; left: number }> = [];
  url = '';

  respond(handler: Handler): this {
    this.handler = handler;
    return this;
  }

  to(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Do the next `times` requests whose `METHOD /path` starts with `route`, then drop the connection unanswered. */
  loseAnswer(route: string, times = 1): void {
    this.losses.push({ route, left: times });
  }

  /** For a fake's handler after it did the work: cuts the connection if a loss is due for `METHOD /path`. */
  dropIfLost(request: string, res: ServerResponse): boolean {
    const loss = this.losses.find((l) => l.left > 0 && request.startsWith(l.route));
    if (!loss) return false;
    loss.left -= 1;
    res.socket?.destroy();
    return true;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(rec);
        void Promise.resolve(this.handler(rec, res)).catch(() => res.writeHead(500).end());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
