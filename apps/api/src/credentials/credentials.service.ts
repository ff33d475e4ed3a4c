import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { zodProblems } from '../common/zod.pipe';
import { Credential } from './credential.entity';
import { credentialSecretSchemas, CredentialType } from './credential-types';
import { SecretBox } from './secret-box';

export const SECRET_BOX = Symbol('SECRET_BOX');

export interface CredentialView {
  id: string;
  type: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

const view = ({ id, type, name, createdAt, updatedAt }: Credential): CredentialView => ({ id, type, name, createdAt, updatedAt });

@Injectable()
export class CredentialsService {
  constructor(
    @InjectRepository(Credential) private readonly credentials: Repository<Credential>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, type: CredentialType, name: string, secret: unknown): Promise<CredentialView> {
    const parsed = credentialSecretSchemas[type].safeParse(secret);
    if (!parsed.success) {
      // Problems name the field, never echo the value.
      const problems = zodProblems(parsed.error).map((p) => ({ path: `secret${p.path === '(body)' ? '' : '.' + p.path}`, message: p.message }));
      throw new BadRequestException({ statusCode: 400, message: `Invalid secret for ${type}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems });
    }
    const id = randomUUID();
    const sealed = this.box.seal(JSON.stringify(parsed.data), id);
    const saved = await this.db.transaction(async (m) => {
      await m.getRepository(Credential).insert({ id, type, name, ...sealed, createdBy: actor.id });
      await this.audit.record(actor, 'credential.create', 'credential', id, { type, name }, m);
      return m.getRepository(Credential).findOneByOrFail({ id });
    });
    return view(saved);
  }

  async list(type?: string) {
    const rows = await this.credentials.find({ where: type ? { type } : {}, order: { createdAt: 'DESC' } });
    return { items: rows.map(view), nextCursor: null };
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const res = await m.getRepository(Credential).delete({ id });
      if (!res.affected) throw new NotFoundException({ statusCode: 404, message: `Credential ${id} not found` });
      await this.audit.record(actor, 'credential.delete', 'credential', id, {}, m);
    });
  }

  /** Server-side only: the decrypted secret for the engine and webhook intake. Never returned by the API. */
  async reveal<T = unknown>(id: string, expectedType?: CredentialType, manager?: EntityManager): Promise<T | null> {
    const repo = manager ? manager.getRepository(Credential) : this.credentials;
    const row = await repo
      .createQueryBuilder('c')
      .addSelect(['c.ciphertext', 'c.iv', 'c.authTag'])
      .where('c.id = :id', { id })
      .getOne();
    if (!row || (expectedType && row.type !== expectedType)) return null;
    return JSON.parse(this.box.open(row, row.id)) as T;
  }
}
