import { ConflictException, HttpException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG } from '../config/config.module';
import { Inject } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { ApiToken } from './api-token.entity';
import type { AuthUser } from './auth.decorators';
import { generatePassword, hashPassword, newSecretToken, sha256, verifyPassword } from './password';
import { Session } from './session.entity';
import { User, UserRole } from './user.entity';

export interface PublicUser {
  id: string;
  email: string;
  role: UserRole;
}

const LOGIN_LIMIT_PER_ACCOUNT = 10;
const LOGIN_LIMIT_PER_IP = 50;

const toPublic = (u: User): PublicUser => ({ id: u.id, email: u.email, role: u.role });

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, ip: string | null = null): Promise<{ user: PublicUser; sessionToken: string; expiresAt: Date }> {
    await this.refuseIfThrottled(email, ip);
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    // Hash even for unknown emails so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) {
      await this.users.query(`INSERT INTO login_failures (email, ip) VALUES ($1, $2)`, [email, ip]);
      await this.audit.record(null, 'auth.login_failed', 'user', null, { email, ip });
      throw new UnauthorizedException({ statusCode: 401, message: 'Wrong email or password' });
    }
    const sessionToken = newSecretToken('hs');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    await this.sessions.insert({ tokenHash: sha256(sessionToken), userId: user.id, expiresAt });
    await this.users.query(`DELETE FROM login_failures WHERE lower(email) = lower($1)`, [email]);
    await this.audit.record({ id: user.id, email: user.email }, 'auth.login', 'user', user.id, {});
    return { user: toPublic(user), sessionToken, expiresAt };
  }

  /**
   * Counted in Postgres so the limit holds across every api process: 10 failures per account
   * or 50 per address in 15 minutes answer 429 until the window passes.
   */
  private async refuseIfThrottled(email: string, ip: string | null): Promise<void> {
    const [c] = await this.users.query(
      `SELECT count(*) FILTER (WHERE lower(email) = lower($1))::int AS by_email,
              count(*) FILTER (WHERE $2::text IS NOT NULL AND ip = $2)::int AS by_ip
       FROM login_failures WHERE at > now() - interval '15 minutes' AND (lower(email) = lower($1) OR ip = $2)`,
      [email, ip],
    );
    if (c.by_email >= LOGIN_LIMIT_PER_ACCOUNT || c.by_ip >= LOGIN_LIMIT_PER_IP) {
      throw new HttpException({ statusCode: 429, message: 'Too many failed logins; wait 15 minutes and try again' }, 429);
    }
  }

  async logout(sessionToken: string): Promise<void> {
    await this.sessions.delete({ tokenHash: sha256(sessionToken) });
  }

  async userForSession(sessionToken: string): Promise<AuthUser | null> {
    const row = await this.sessions
      .createQueryBuilder('s')
      .innerJoin(User, 'u', 'u.id = s.user_id')
      .select(['u.id AS id', 'u.email AS email', 'u.role AS role'])
      .where('s.token_hash = :h AND s.expires_at > now() AND u.disabled_at IS NULL', { h: sha256(sessionToken) })
      .getRawOne<{ id: string; email: string; role: UserRole }>();
    return row ? { ...row, via: 'session' } : null;
  }

  async userForApiToken(token: string): Promise<AuthUser | null> {
    const row = await this.tokens
      .createQueryBuilder('t')
      .innerJoin(User, 'u', 'u.id = t.user_id')
      .select(['t.id AS "tokenId"', 'u.id AS id', 'u.email AS email', 'u.role AS role'])
      .where('t.token_hash = :h AND t.revoked_at IS NULL AND u.disabled_at IS NULL', { h: sha256(token) })
      .getRawOne<{ tokenId: string; id: string; email: string; role: UserRole }>();
    if (!row) return null;
    await this.tokens.update({ id: row.tokenId }, { lastUsedAt: new Date() });
    return { id: row.id, email: row.email, role: row.role, via: 'token' };
  }

  async createApiToken(actor: AuthUser, name: string): Promise<{ id: string; name: string; token: string }> {
    const token = newSecretToken('hnd');
    const saved = await this.tokens.save(this.tokens.create({ userId: actor.id, name, tokenHash: sha256(token) }));
    await this.audit.record(actor, 'token.create', 'api_token', saved.id, { name });
    return { id: saved.id, name, token };
  }

  async listApiTokens(actor: AuthUser) {
    const items = await this.tokens.find({ where: { userId: actor.id }, order: { createdAt: 'DESC' } });
    return { items: items.map(({ id, name, createdAt, lastUsedAt, revokedAt }) => ({ id, name, createdAt, lastUsedAt, revokedAt })), nextCursor: null };
  }

  async revokeApiToken(actor: AuthUser, id: string): Promise<void> {
    const res = await this.tokens.update({ id, userId: actor.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!res.affected) throw new NotFoundException({ statusCode: 404, message: 'No such active token' });
    await this.audit.record(actor, 'token.revoke', 'api_token', id, {});
  }

  async createUser(actor: AuthUser | null, email: string, password: string, role: UserRole): Promise<PublicUser> {
    const passwordHash = await hashPassword(password);
    const rows = await this.users.query(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING id, email, role`,
      [email, passwordHash, role],
    );
    if (!rows.length) throw new ConflictException({ statusCode: 409, message: `A user with email ${email} already exists` });
    await this.audit.record(actor, 'user.create', 'user', rows[0].id, { email, role });
    return rows[0];
  }

  async listUsers() {
    const items = await this.users.find({ order: { createdAt: 'ASC' } });
    return { items: items.map(toPublic), nextCursor: null };
  }

  /**
   * First start: create the admin from HANDOFF_ADMIN_EMAIL/PASSWORD, or with a generated
   * one-time password that is returned once (printed by main) and never stored in clear.
   */
  async ensureAdmin(): Promise<{ email: string; password: string | null } | null> {
    const count = await this.users.count();
    if (count > 0) return null;
    const email = this.config.adminEmail ?? 'admin@handoff.local';
    const password = this.config.adminPassword ?? generatePassword();
    try {
      await this.createUser(null, email, password, 'admin');
    } catch (e) {
      if (e instanceof ConflictException) return null; // another process created it first
      throw e;
    }
    return { email, password: this.config.adminPassword ? null : password };
  }
}

// A valid scrypt hash of a random string: verifying against it costs the same as a real check.
const DUMMY_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$0000000000000000000000000000000000000000000=';
