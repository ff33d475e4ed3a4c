import type { ServerResponse } from 'node:http';
import { FakeHttp, type Recorded } from './fake-http';

export type SObject = 'Contact' | 'Opportunity' | 'Task';
type Value = string | number | boolean | null;

export interface SfRecord {
  Id: string;
  fields: Record<string, Value>;
}

export interface FakeSalesforceOptions {
  apiVersion?: string;
  /** External ID fields per object: what a Salesforce admin set up. */
  externalIds?: Partial<Record<SObject, string[]>>;
  token?: string;
}

const EXTERNAL_IDS: Record<SObject, string[]> = { Contact: ['Stripe_Customer_Id__c', 'Handoff_Email__c'], Opportunity: ['Stripe_Object_Id__c'], Task: ['Handoff_Key__c'] };
// What Salesforce refuses to create without, and what it fills in itself.
const REQUIRED: Record<SObject, string[]> = { Contact: ['LastName'], Opportunity: ['Name', 'StageName', 'CloseDate'], Task: [] };
const DEFAULTS: Record<SObject, Record<string, Value>> = { Contact: {}, Opportunity: {}, Task: { Status: 'Not Started', Priority: 'Normal' } };
// Fields that can be set when a record is made and never after (Opportunity.ContactId, API 46.0+).
const CREATE_ONLY: Record<SObject, string[]> = { Contact: [], Opportunity: ['ContactId'], Task: [] };
// Lookups and the objects they point at.
const REFERENCES: Record<string, SObject> = { ContactId: 'Contact', WhoId: 'Contact' };
const PREFIX: Record<SObject, string> = { Contact: '003', Opportunity: '006', Task: '00T' };

class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

/**
 * A local Salesforce REST API (upsert by External ID and the SOQL reads Handoff makes), over an
 * in-memory store, for tests driven through jsforce. Like Salesforce: an upsert must name an
 * External ID field; a create missing required fields is refused (REQUIRED_FIELD_MISSING) and
 * writes nothing; unique External IDs refuse a duplicate (DUPLICATE_VALUE); create-only fields
 * are refused on update. `loseAnswer` makes it do a write and then cut the connection unanswered.
 */
export class FakeSalesforce {
  readonly http = new FakeHttp();
  readonly store: Record<SObject, SfRecord[]> = { Contact: [], Opportunity: [], Task: [] };
  users: Array<{ Id: string; Email: string; IsActive: boolean }> = [];
  private next = 1;
  private readonly base: string;
  private readonly externalIds: Record<SObject, string[]>;

  constructor(private readonly options: FakeSalesforceOptions = {}) {
    this.base = `/services/data/v${options.apiVersion ?? '60.0'}`;
    this.externalIds = { ...EXTERNAL_IDS, ...options.externalIds };
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

  find(object: SObject, field: string, value: Value): SfRecord[] {
    return this.store[object].filter((r) => r.fields[field] === value);
  }

  /** The calls made, as `METHOD path` (decoded) plus the parsed body or the SOQL. */
  calls() {
    return this.http.requests.map((r) => {
      const url = new URL(r.path, 'http://fake');
      const soql = url.searchParams.get('q');
      const call = `${r.method} ${decodeURIComponent(url.pathname)}`;
      return soql ? { call, soql } : { call, body: r.body ? JSON.parse(r.body) : null };
    });
  }

  private handle(req: Recorded, res: ServerResponse) {
    const url = new URL(req.path, 'http://fake');
    if (req.headers.authorization !== `Bearer ${this.options.token ?? '00Dxx!token'}`) return send(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    try {
      if (req.method === 'GET' && url.pathname === `${this.base}/query`) return send(res, 200, this.query(url.searchParams.get('q') ?? ''));
      const m = new RegExp(`^${this.base}/sobjects/(Contact|Opportunity|Task)/(\\w+)/([^/]+)$`).exec(url.pathname);
      if (req.method !== 'PATCH' || !m) return send(res, 404, [{ errorCode: 'NOT_FOUND', message: `The requested resource does not exist: ${req.method} ${url.pathname}` }]);
      const [status, answer] = this.upsert(m[1] as SObject, m[2], decodeURIComponent(m[3]), req.body ? JSON.parse(req.body) : {});
      if (this.http.dropIfLost(`${req.method} ${decodeURIComponent(url.pathname)}`, res)) return;
      return send(res, status, answer);
    } catch (e) {
      if (e instanceof SfError) return send(res, e.status, [{ errorCode: e.errorCode, message: e.message, fields: e.fields }]);
      throw e;
    }
  }

  private upsert(object: SObject, keyField: string, key: string, body: Record<string, Value>): [number, unknown] {
    if (!this.externalIds[object].includes(keyField)) throw new SfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${keyField}`);
    const found = this.find(object, keyField, key);
    if (found.length > 1) throw new SfError(300, 'MULTIPLE_CHOICES', `Multiple ${object} records have ${keyField} ${key}`);
    const existing = found[0];
    if (existing) {
      const refused = CREATE_ONLY[object].filter((f) => f in body);
      if (refused.length) throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${refused.join(', ')}. Please check the security settings of this field.`, refused);
    }
    const fields: Record<string, Value> = { ...(existing ? existing.fields : DEFAULTS[object]), ...body, [keyField]: key };
    for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
    if (!existing) {
      const missing = REQUIRED[object].filter((f) => fields[f] === undefined || fields[f] === '');
      if (missing.length) throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
    for (const [field, target] of Object.entries(REFERENCES)) {
      if (typeof fields[field] === 'string' && !this.store[target].some((r) => r.Id === fields[field])) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${field}`, [field]);
    }
    for (const f of this.externalIds[object]) {
      const other = fields[f] === undefined ? undefined : this.find(object, f, fields[f]).find((r) => r !== existing);
      if (other) throw new SfError(400, 'DUPLICATE_VALUE', `duplicate value found: ${f} duplicates value on record with id: ${other.Id}`, [f]);
    }
    if (existing) {
      existing.fields = fields;
      return [200, { id: existing.Id, success: true, errors: [], created: false }];
    }
    const Id = `${PREFIX[object]}FAKE${String(this.next++).padStart(11, '0')}`;
    this.store[object].push({ Id, fields });
    return [201, { id: Id, success: true, errors: [], created: true }];
  }

  private query(q: string) {
    const user = /^SELECT Id FROM User WHERE Email = '((?:[^'\\]|\\.)*)' AND IsActive = true ORDER BY CreatedDate LIMIT 1$/.exec(q);
    if (user) {
      const email = unquote(user[1]).toLowerCase();
      return records('User', this.users.filter((u) => u.IsActive && u.Email.toLowerCase() === email).slice(0, 1).map((u) => u.Id));
    }
    const byKey = /^SELECT Id FROM (Contact|Opportunity|Task) WHERE (\w+) = '((?:[^'\\]|\\.)*)' LIMIT 1$/.exec(q);
    if (byKey) return records(byKey[1], this.find(byKey[1] as SObject, byKey[2], unquote(byKey[3])).slice(0, 1).map((r) => r.Id));
    throw new SfError(400, 'MALFORMED_QUERY', `unexpected query ${q}`);
  }
}

const unquote = (s: string) => s.replace(/\\(.)/g, '$1');

function records(type: string, ids: string[]) {
  return { totalSize: ids.length, done: true, records: ids.map((Id) => ({ attributes: { type, url: `/sobjects/${type}/${Id}` }, Id })) };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
