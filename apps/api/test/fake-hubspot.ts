import type { ServerResponse } from 'node:http';
import { FakeHttp, type Recorded } from './fake-http';

export type HsObject = 'contacts' | 'deals' | 'tasks' | 'tickets';

export interface HsRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** Until then the record is not in the search index: HubSpot's search lags its writes. */
  searchableAt: number;
}

export interface HsAssociation {
  from: HsObject;
  fromId: string;
  to: HsObject;
  toId: string;
  typeId: number;
}

export interface FakeHubSpotOptions {
  /** How long a write stays invisible to search (HubSpot: a few seconds). */
  searchLagMs?: number;
  /** Properties with "unique value" on, per object: what a HubSpot admin set up. */
  unique?: Partial<Record<HsObject, string[]>>;
  /** The private app token it accepts. */
  token?: string;
}

const OBJECTS = 'contacts|deals|tasks|tickets';
const UNIQUE: Record<HsObject, string[]> = { contacts: ['email', 'stripe_customer_id'], deals: ['stripe_object_id'], tasks: ['handoff_task_key'], tickets: ['handoff_ticket_key'] };
// What HubSpot refuses to create without.
const REQUIRED: Record<HsObject, string[]> = { contacts: [], deals: ['dealname', 'dealstage'], tasks: ['hs_timestamp'], tickets: ['subject', 'hs_pipeline_stage'] };
// HubSpot-defined default association types (v4) of the pairs it links.
const DEFAULT_TYPE: Record<string, number> = { 'deals→contacts': 3, 'tasks→contacts': 204, 'tickets→contacts': 16, 'tasks→deals': 216, 'tickets→deals': 28 };

class HsError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local HubSpot CRM API (the parts Handoff uses), over an in-memory store, for tests driven
 * through the official `@hubspot/api-client`. It behaves like HubSpot where it matters here:
 * batch upserts find records by a unique property at once and refuse a property without "unique
 * value"; e-mails are unique among contacts (409 naming the existing one); search lags writes by
 * `searchLagMs`; v4 default associations are idempotent PUTs. `loseAnswer` makes it do a write and
 * then cut the connection without answering, as a network failure after the work would.
 */
export class FakeHubSpot {
  readonly http = new FakeHttp();
  readonly records: Record<HsObject, HsRecord[]> = { contacts: [], deals: [], tasks: [], tickets: [] };
  readonly associations: HsAssociation[] = [];
  owners: Array<{ id: string; email: string; firstName: string; lastName: string }> = [];
  private nextId = 1001;
  private readonly lagMs: number;
  private readonly unique: Record<HsObject, string[]>;

  constructor(private readonly options: FakeHubSpotOptions = {}) {
    this.lagMs = options.searchLagMs ?? 3_000;
    this.unique = { ...UNIQUE, ...options.unique };
  }

  get url() {
    return this.http.url;
  }

  async start(): Promise<this> {
    await this.http.start();
    this.http.respond((req, res) => this.handle(req, res));
    return this;
  }

  stop() {
    return this.http.stop();
  }

  /** Do the next `times` writes whose `METHOD /path` starts with `route`, then drop the connection unanswered. */
  loseAnswer(route: string, times = 1) {
    this.http.loseAnswer(route, times);
  }

  /** Records of a type whose property has this value. */
  find(object: HsObject, property: string, value: string): HsRecord[] {
    return this.records[object].filter((r) => same(property, r.properties[property], value));
  }

  /** The calls made, as `METHOD path` plus the parsed body. */
  calls() {
    return this.http.requests.map((r) => ({ call: `${r.method} ${r.path}`, body: r.body ? JSON.parse(r.body) : null }));
  }

  private handle(req: Recorded, res: ServerResponse) {
    const url = new URL(req.path, 'http://fake');
    if (req.headers.authorization !== `Bearer ${this.options.token ?? 'pat-test-123'}`) {
      return send(res, 401, { status: 'error', category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found.' });
    }
    try {
      const body = req.body ? JSON.parse(req.body) : {};
      let m: RegExpExecArray | null;
      let answer: unknown;
      if (req.method === 'POST' && (m = new RegExp(`^/crm/v3/objects/(${OBJECTS})/batch/upsert$`).exec(url.pathname))) answer = this.upsert(m[1] as HsObject, body.inputs ?? []);
      else if (req.method === 'POST' && (m = new RegExp(`^/crm/v3/objects/(${OBJECTS})/search$`).exec(url.pathname))) return send(res, 200, this.search(m[1] as HsObject, body));
      else if (req.method === 'PUT' && (m = new RegExp(`^/crm/v4/objects/(${OBJECTS})/(\\d+)/associations/default/(${OBJECTS})/(\\d+)$`).exec(url.pathname))) {
        answer = this.associate(m[1] as HsObject, m[2], m[3] as HsObject, m[4]);
      } else if (req.method === 'GET' && url.pathname === '/crm/v3/owners/') {
        const email = url.searchParams.get('email')?.toLowerCase();
        return send(res, 200, { results: this.owners.filter((o) => !email || o.email === email).map((o) => ({ ...o, userId: Number(o.id), createdAt: now(), updatedAt: now(), archived: false })) });
      } else return send(res, 404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `no route ${req.method} ${url.pathname}` });
      if (this.http.dropIfLost(`${req.method} ${url.pathname}`, res)) return;
      return send(res, 200, answer);
    } catch (e) {
      if (e instanceof HsError) return send(res, e.status, { status: 'error', category: e.category, message: e.message, correlationId: 'fake' });
      throw e;
    }
  }

  /** All inputs are checked before any is written, as HubSpot refuses a batch with a bad input. */
  private upsert(object: HsObject, inputs: Array<{ idProperty?: string; id: string; properties: Record<string, string> }>) {
    const startedAt = now();
    const plans = inputs.map((input) => {
      const idProperty = input.idProperty ?? 'hs_object_id';
      if (!this.unique[object].includes(idProperty)) throw new HsError(400, 'VALIDATION_ERROR', `Property "${idProperty}" is not a unique identifier for ${object}: turn on "unique value" on it`);
      const existing = this.find(object, idProperty, input.id);
      const properties = { ...(existing[0]?.properties ?? {}), ...input.properties, [idProperty]: input.id };
      for (const [k, v] of Object.entries(properties)) if (v === '') delete properties[k];
      if (properties.email) properties.email = properties.email.toLowerCase();
      if (!existing[0]) {
        const missing = REQUIRED[object].filter((p) => !properties[p]);
        if (missing.length) throw new HsError(400, 'VALIDATION_ERROR', `Property values were not valid: missing required ${missing.join(', ')}`);
      }
      for (const p of this.unique[object]) {
        const taken = properties[p] ? this.find(object, p, properties[p]).find((r) => r !== existing[0]) : undefined;
        if (taken) {
          const what = object === 'contacts' ? 'Contact' : `A ${object.slice(0, -1)} with ${p} ${properties[p]}`;
          throw new HsError(409, 'CONFLICT', `${what} already exists. Existing ID: ${taken.id}`);
        }
      }
      return { existing: existing[0], properties };
    });
    const results = plans.map(({ existing, properties }) => {
      const record = existing ?? { id: String(this.nextId++), properties: {}, createdAt: now(), updatedAt: now(), searchableAt: 0 };
      record.properties = properties;
      record.updatedAt = now();
      record.searchableAt = Date.now() + this.lagMs;
      if (!existing) this.records[object].push(record);
      return { id: record.id, properties: record.properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false, new: !existing };
    });
    return { status: 'COMPLETE', results, startedAt, completedAt: now() };
  }

  /** Only single-filter EQ searches, over what the index has caught up with. */
  private search(object: HsObject, body: { filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>; limit?: number }) {
    const f = body.filterGroups?.[0]?.filters?.[0];
    const hits = this.records[object].filter((r) => r.searchableAt <= Date.now() && (!f || same(f.propertyName, r.properties[f.propertyName], f.value)));
    const results = hits.slice(0, body.limit ?? 10).map((r) => ({ id: r.id, properties: r.properties, createdAt: r.createdAt, updatedAt: r.updatedAt, archived: false }));
    return { total: hits.length, results };
  }

  private associate(from: HsObject, fromId: string, to: HsObject, toId: string) {
    for (const [o, id] of [[from, fromId], [to, toId]] as const) {
      if (!this.records[o].some((r) => r.id === id)) throw new HsError(404, 'OBJECT_NOT_FOUND', `No ${o} with id ${id}`);
    }
    const typeId = DEFAULT_TYPE[`${from}→${to}`] ?? 1;
    if (!this.associations.some((a) => a.from === from && a.fromId === fromId && a.to === to && a.toId === toId)) this.associations.push({ from, fromId, to, toId, typeId });
    return { status: 'COMPLETE', results: [{ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }], startedAt: now(), completedAt: now() };
  }
}

const now = () => new Date().toISOString();

// HubSpot matches e-mails whatever their case.
function same(property: string, a: string | undefined, b: string): boolean {
  return a !== undefined && (property === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b);
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
