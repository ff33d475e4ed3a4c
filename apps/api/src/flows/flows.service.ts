import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { credentialUses, diffFlows, FlowDocument, flowDocumentSchema, getNodeType, Problem, problemsBlocking, triggerNode, validateFlow } from '@handoff/nodes';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Credential } from '../credentials/credential.entity';
import { stagesOf } from '../crm/crm.store';
import { stageProblems } from './stage-problems';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { TriggersService } from '../triggers/triggers.service';
import { FlowVersion } from './flow-version.entity';
import { Flow } from './flow.entity';

export interface FlowView {
  id: string;
  name: string;
  draft: FlowDocument;
  publishedVersion: number | null;
  status: Flow['status'];
  problems: Problem[];
  /** The draft trigger's route, when it has one (`/hooks/<hook>/<flow id>`); else null. */
  webhookPath: string | null;
  /** Absolute when HANDOFF_PUBLIC_URL is set (the address senders must use); else null and the editor uses its own origin. */
  webhookUrl: string | null;
  /** The saved draft is not the live (published) version: publishing would change something. False before the first publish. */
  draftDiffers: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function invalid(problems: Problem[]): BadRequestException {
  const head = problems.slice(0, 5).map((p) => (p.nodeId ? `${p.nodeId}: ${p.message}` : p.message));
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new BadRequestException({
    statusCode: 400,
    message: `The flow has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${head.join('; ')}${more}`,
    problems,
  });
}

@Injectable()
export class FlowsService {
  constructor(
    @InjectRepository(Flow) private readonly flows: Repository<Flow>,
    @InjectRepository(FlowVersion) private readonly versions: Repository<FlowVersion>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly triggers: TriggersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async view(flow: Flow): Promise<FlowView> {
    const live = flow.publishedVersion === null ? null : await this.versions.findOne({ where: { flowId: flow.id, version: flow.publishedVersion }, select: { document: true } });
    const hook = getNodeType(triggerNode(flow.draft)?.type ?? '')?.trigger?.hook;
    const webhookPath = hook ? `/hooks/${hook.path}/${flow.id}` : null;
    return {
      id: flow.id,
      name: flow.name,
      draft: flow.draft,
      publishedVersion: flow.publishedVersion,
      status: flow.status,
      problems: validateFlow(flow.draft).problems,
      webhookPath,
      webhookUrl: webhookPath && this.config.publicUrl ? `${this.config.publicUrl.replace(/\/+$/, '')}${webhookPath}` : null,
      draftDiffers: live ? !diffFlows(live.document, flow.draft).same : false,
      createdAt: flow.createdAt,
      updatedAt: flow.updatedAt,
    };
  }

  /** Structural problems (cycles, unknown ports...) refuse even a draft; config gaps only block publish. */
  private checkDraft(doc: unknown): FlowDocument {
    const { problems } = validateFlow(doc);
    const blocking = problemsBlocking(problems, 'save');
    if (blocking.length) throw invalid(blocking);
    // Stored with its defaults filled in (an edge saved without `sourcePort` leaves from `out`, as
    // validated), so the engine follows exactly the graph that was checked.
    return flowDocumentSchema.parse(doc);
  }

  async list(cursor: string | null, limit = 50) {
    // Cursors carry milliseconds; Postgres keeps microseconds, so compare at the cursor's precision.
    const at = "date_trunc('milliseconds', f.updated_at)";
    const qb = this.flows.createQueryBuilder('f').orderBy(at, 'DESC').addOrderBy('f.id', 'DESC').limit(limit + 1);
    const after = decodeCursor(cursor);
    if (after) qb.where(`(${at}, f.id) < (:at, :id)`, { at: after.at, id: after.id });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map(({ id, name, status, publishedVersion, createdAt, updatedAt }) => ({ id, name, status, publishedVersion, createdAt, updatedAt }));
    const last = rows.length > limit ? rows[limit - 1] : null;
    return { items, nextCursor: last ? encodeCursor(last.updatedAt, last.id) : null };
  }

  async get(id: string): Promise<FlowView> {
    return this.view(await this.find(id));
  }

  private async find(id: string): Promise<Flow> {
    const flow = await this.flows.findOneBy({ id });
    if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} not found` });
    return flow;
  }

  async create(actor: AuthUser, doc: unknown, action = 'flow.create'): Promise<FlowView> {
    const draft = this.checkDraft(doc);
    const flow = await this.db.transaction(async (m) => {
      const saved = await m.getRepository(Flow).save(m.getRepository(Flow).create({ name: draft.name, draft, status: 'draft', createdBy: actor.id }));
      await this.audit.record(actor, action, 'flow', saved.id, { name: draft.name }, m);
      return saved;
    });
    return this.view(flow);
  }

  async update(actor: AuthUser, id: string, doc: unknown): Promise<FlowView> {
    const draft = this.checkDraft(doc);
    const flow = await this.find(id);
    flow.draft = draft;
    flow.name = draft.name;
    const saved = await this.db.transaction(async (m) => {
      const s = await m.getRepository(Flow).save(flow);
      await this.audit.record(actor, 'flow.save', 'flow', id, { name: draft.name, nodes: draft.nodes.length }, m);
      return s;
    });
    return this.view(saved);
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.triggers.stop(m, id);
      const res = await m.getRepository(Flow).delete({ id });
      if (!res.affected) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} not found` });
      await this.audit.record(actor, 'flow.delete', 'flow', id, {}, m);
    });
  }

  async publish(actor: AuthUser, id: string, note: string | null): Promise<{ version: number }> {
    return this.db.transaction(async (m) => {
      const flow = await m.getRepository(Flow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} not found` });
      const problems = [...validateFlow(flow.draft).problems, ...(await this.storedProblems(flow.draft))];
      if (problems.length) throw invalid(problems);
      const version = (flow.publishedVersion ?? 0) + 1;
      await m.query(`INSERT INTO flow_versions (flow_id, version, document, note, published_by) VALUES ($1, $2, $3, $4, $5)`, [id, version, JSON.stringify(flow.draft), note, actor.id]);
      await m.getRepository(Flow).update({ id }, { publishedVersion: version, status: flow.status === 'paused' ? 'paused' : 'active' });
      await this.triggers.sync(m, id);
      await this.audit.record(actor, 'flow.publish', 'flow', id, { version, note }, m);
      return { version };
    });
  }

  /** Problems only the database can tell: credentials (credentialProblems) and built-in CRM stages (stageProblems). */
  async storedProblems(doc: FlowDocument): Promise<Problem[]> {
    const stages = (await stagesOf(this.db.manager)).map((s) => s.key);
    return [...(await this.credentialProblems(doc)), ...stageProblems(doc, stages)];
  }

  /**
   * Every credential a node points at must exist and be of a type its field takes: a node can
   * only use a credential of the type it declares (a Slack step handed a Stripe secret would
   * otherwise send it, or put it in an error message viewers read).
   */
  async credentialProblems(doc: FlowDocument): Promise<Problem[]> {
    const uses = credentialUses(doc);
    if (!uses.length) return [];
    const found = await this.db.getRepository(Credential).find({ select: { id: true, type: true }, where: uses.map((u) => ({ id: u.id })) }).catch(() => []);
    const typeOf = new Map(found.map((c) => [c.id, c.type]));
    const problems: Problem[] = [];
    for (const u of uses) {
      const type = typeOf.get(u.id);
      if (!type) problems.push({ code: 'credential.missing', message: `Credential ${u.id} does not exist here; pick or create one`, nodeId: u.nodeId, path: u.path, blocks: 'publish' });
      else if (!u.types.includes(type)) {
        const takes = u.types.length ? `takes ${u.types.join(' or ')}` : 'takes no credential';
        problems.push({ code: 'credential.type', message: `Credential ${u.id} is a ${type}; this field ${takes}`, nodeId: u.nodeId, path: u.path, blocks: 'publish' });
      }
    }
    return problems;
  }

  async setPaused(actor: AuthUser, id: string, paused: boolean): Promise<FlowView> {
    // The trigger stops or starts, and a resume runs the events held while paused, with the status change or not at all.
    const saved = await this.db.transaction(async (m) => {
      const flow = await m.getRepository(Flow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} not found` });
      if (flow.publishedVersion === null) throw new ConflictException({ statusCode: 409, message: 'Publish the flow before pausing or resuming it' });
      flow.status = paused ? 'paused' : 'active';
      const s = await m.getRepository(Flow).save(flow);
      await this.triggers.sync(m, id);
      if (!paused) await this.triggers.releaseHeld(m, id);
      await this.audit.record(actor, paused ? 'flow.pause' : 'flow.resume', 'flow', id, {}, m);
      return s;
    });
    return this.view(saved);
  }

  /** Newest first, each with who published it (their e-mail; null once the account is deleted). */
  async listVersions(id: string) {
    await this.find(id);
    const rows: Array<{ version: number; note: string | null; published_at: Date; published_by: string | null; email: string | null }> = await this.db.query(
      `SELECT v.version, v.note, v.published_at, v.published_by, u.email FROM flow_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.flow_id = $1 ORDER BY v.version DESC`,
      [id],
    );
    return { items: rows.map((r) => ({ version: r.version, note: r.note, publishedAt: r.published_at, publishedBy: r.published_by, publishedByEmail: r.email })), nextCursor: null };
  }

  /**
   * Makes a published version's graph the draft again (restore), or the live one's (discard the
   * draft). Publishing stays a separate step; audited like a draft save, with the version.
   */
  async restoreVersion(actor: AuthUser, id: string, version: number | 'live'): Promise<FlowView> {
    const saved = await this.db.transaction(async (m) => {
      const flow = await m.getRepository(Flow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} not found` });
      const wanted = version === 'live' ? flow.publishedVersion : version;
      if (wanted === null) throw new ConflictException({ statusCode: 409, message: 'This flow has no live version yet; there is nothing to go back to' });
      const row = Number.isSafeInteger(wanted) && wanted >= 1 && wanted <= 2_147_483_647 ? await m.getRepository(FlowVersion).findOneBy({ flowId: id, version: wanted }) : null;
      if (!row) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} has no version ${wanted}` });
      // A version was valid when published; node types may have changed since, so check it as any draft.
      flow.draft = this.checkDraft(row.document);
      flow.name = flow.draft.name;
      const s = await m.getRepository(Flow).save(flow);
      await this.audit.record(actor, version === 'live' ? 'flow.discard_draft' : 'flow.restore', 'flow', id, { version: wanted, name: flow.name, nodes: flow.draft.nodes.length }, m);
      return s;
    });
    return this.view(saved);
  }

  async getVersion(id: string, version: number) {
    // Versions count up from 1 in a Postgres integer: anything else names no version.
    const row = Number.isSafeInteger(version) && version >= 1 && version <= 2_147_483_647 ? await this.versions.findOneBy({ flowId: id, version }) : null;
    if (!row) throw new NotFoundException({ statusCode: 404, message: `Flow ${id} has no version ${version}` });
    return row;
  }

  async exportDocument(id: string): Promise<FlowDocument> {
    return (await this.find(id)).draft;
  }
}
