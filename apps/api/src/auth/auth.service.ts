import { BadRequestException, ConflictException, ForbiddenException, HttpException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { filter, from, interval, map, Observable, switchMap, take } from 'rxjs';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG } from '../config/config.module';
import { Inject } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { ApiToken } from './api-token.entity';
import type { AuthUser } from './auth.decorators';
import { generatePassword, hashPassword, newSecretToken, sha256, verifyPassword } from './password';
import { SESSION_COOKIE } from './session-cookie';
import { Session } from './session.entity';
import { lesserRole, roleRank, User, UserRole } from './user.entity';

export interface PublicUser {
  id: string;
  email: string;
  role: UserRole;
  disabledAt?: Date | null;
}

/**
 * Failed logins in 15 minutes before 429: per account from one address (guessing), per address
 * (spraying many accounts), and per account from everywhere (a distributed guess). The
 * per-account limit is high, so one attacker cannot lock a person out from another address.
 */
const LIMITS = { accountFromAddress: 10, address: 50, account: 200 };

const toPublic = (u: User): PublicUser => ({ id: u.id, email: u.email, role: u.role, disabledAt: u.disabledAt ?? null });

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string, ip: string | null = null): Promise<{ user: PublicUser; sessionToken: string; expiresAt: Date }> {
    const attempt = await this.reserveAttempt(email, ip);
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    // Hash even for unknown emails so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) {
      // The reserved attempt stays: it is this failure.
      await this.audit.record(null, 'auth.login_failed', 'user', null, { email, ip });
      throw new UnauthorizedException({ statusCode: 401, message: 'Wrong email or password' });
    }
    const sessionToken = newSecretToken('hs');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    await this.sessions.insert({ tokenHash: sha256(sessionToken), userId: user.id, expiresAt });
    await this.users.query(`DELETE FROM login_failures WHERE id = $1 OR (lower(email) = lower($2) AND ip IS NOT DISTINCT FROM $3)`, [attempt, email, ip]);
    await this.audit.record({ id: user.id, email: user.email }, 'auth.login', 'user', user.id, {});
    return { user: toPublic(user), sessionToken, expiresAt };
  }

  /**
   * Counted in Postgres so the limits hold across every api process, and reserved before the
   * password is checked: each attempt first records itself, then counts, so 60 parallel
   * guesses cannot all slip under the limit between a count and an insert. A successful login
   * removes its reservation.
   */
  private async reserveAttempt(email: string, ip: string | null): Promise<string> {
    const [{ id }] = await this.users.query(`INSERT INTO login_failures (email, ip) VALUES ($1, $2) RETURNING id`, [email, ip]);
    const [c] = await this.users.query(
      `SELECT count(*) FILTER (WHERE lower(email) = lower($1) AND ip IS NOT DISTINCT FROM $2)::int AS pair,
              count(*) FILTER (WHERE $2::text IS NOT NULL AND ip = $2)::int AS by_ip,
              count(*) FILTER (WHERE lower(email) = lower($1))::int AS by_email
       FROM login_failures WHERE at > now() - interval '15 minutes' AND (lower(email) = lower($1) OR ip = $2) AND id <= $3`,
      [email, ip, id],
    );
    if (c.pair > LIMITS.accountFromAddress || c.by_ip > LIMITS.address || c.by_email > LIMITS.account) {
      throw new HttpException({ statusCode: 429, message: 'Too many failed logins; wait 15 minutes and try again' }, 429);
    }
    return id;
  }

  /**
   * Emits once when the credential a request came with stops being valid (logout, expiry, a
   * disabled user, a revoked or expired token): long-lived streams end with it.
   */
  signedOut(req: { headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string> }, everyMs = 5_000): Observable<void> {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const session = req.cookies?.[SESSION_COOKIE] ?? null;
    const valid = () => (bearer ? this.userForApiToken(bearer) : session ? this.userForSession(session) : Promise.resolve(null));
    return interval(everyMs).pipe(
      switchMap(() => from(valid().catch(() => 'unknown' as const))),
      filter((user) => user === null),
      take(1),
      map(() => undefined),
    );
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

  /** A token acts with the lesser of its own role and its owner's current role, until it expires. */
  async userForApiToken(token: string): Promise<AuthUser | null> {
    const row = await this.tokens
      .createQueryBuilder('t')
      .innerJoin(User, 'u', 'u.id = t.user_id')
      .select(['t.id AS "tokenId"', 'u.id AS id', 'u.email AS email', 'u.role AS role', 't.role AS "tokenRole"'])
      .where('t.token_hash = :h AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL', { h: sha256(token) })
      .getRawOne<{ tokenId: string; id: string; email: string; role: UserRole; tokenRole: UserRole | null }>();
    if (!row) return null;
    await this.tokens.update({ id: row.tokenId }, { lastUsedAt: new Date() });
    return { id: row.id, email: row.email, role: lesserRole(row.role, row.tokenRole), via: 'token' };
  }

  /** Anyone may make tokens for their scripts, with at most their own role, for at most a year. */
  async createApiToken(actor: AuthUser, name: string, role: UserRole | undefined, expiresInDays: number): Promise<{ id: string; name: string; role: UserRole; expiresAt: Date; token: string }> {
    const tokenRole = role ?? actor.role;
    if (roleRank(tokenRole) > roleRank(actor.role)) throw new ForbiddenException({ statusCode: 403, message: `A token can do at most what you can: you are ${actor.role}, not ${tokenRole}` });
    const token = newSecretToken('hnd');
    const expiresAt = new Date(Date.now() + expiresInDays * 86_400_000);
    const saved = await this.tokens.save(this.tokens.create({ userId: actor.id, name, tokenHash: sha256(token), role: tokenRole, expiresAt }));
    await this.audit.record(actor, 'token.create', 'api_token', saved.id, { name, role: tokenRole, expiresAt });
    return { id: saved.id, name, role: tokenRole, expiresAt, token };
  }

  /** Your tokens; an admin may ask for everyone's (to find and revoke a leaked one). */
  async listApiTokens(actor: AuthUser, all: boolean) {
    if (all && actor.role !== 'admin') throw new ForbiddenException({ statusCode: 403, message: 'Only admins may list everyone’s tokens' });
    const rows: Array<ApiToken & { email: string }> = await this.tokens
      .createQueryBuilder('t')
      .innerJoin(User, 'u', 'u.id = t.user_id')
      .addSelect('u.email', 'email')
      .where(all ? '1 = 1' : 't.user_id = :id', { id: actor.id })
      .orderBy('t.created_at', 'DESC')
      .getRawAndEntities()
      .then(({ entities, raw }) => entities.map((t, i) => Object.assign(t, { email: (raw[i] as { email: string }).email })));
    return {
      items: rows.map(({ id, name, role, createdAt, lastUsedAt, revokedAt, expiresAt, userId, email }) => ({ id, name, role, owner: { id: userId, email }, createdAt, lastUsedAt, expiresAt, revokedAt })),
      nextCursor: null,
    };
  }

  async revokeApiToken(actor: AuthUser, id: string): Promise<void> {
    const where = actor.role === 'admin' ? { id, revokedAt: IsNull() } : { id, userId: actor.id, revokedAt: IsNull() };
    const res = await this.tokens.update(where, { revokedAt: new Date() });
    if (!res.affected) throw new NotFoundException({ statusCode: 404, message: 'No such active token' });
    await this.audit.record(actor, 'token.revoke', 'api_token', id, {});
  }

  /**
   * An admin changes a user's role or disables them (their sessions end at once, their tokens
   * stop working). The last active admin cannot be demoted, disabled or deleted.
   */
  async updateUser(actor: AuthUser, id: string, patch: { role?: UserRole; disabled?: boolean }): Promise<PublicUser> {
    const user = await this.db.transaction(async (m) => {
      const target = await this.lockUser(m, id);
      const losesAdmin = target.role === 'admin' && !target.disabledAt && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) await this.keepAnAdmin(m, id);
      if (patch.role) target.role = patch.role;
      if (patch.disabled !== undefined) target.disabledAt = patch.disabled ? (target.disabledAt ?? new Date()) : null;
      await m.getRepository(User).update({ id }, { role: target.role, disabledAt: target.disabledAt });
      if (patch.disabled) await m.getRepository(Session).delete({ userId: id });
      await this.audit.record(actor, 'user.update', 'user', id, patch, m);
      return target;
    });
    return toPublic(user);
  }

  async deleteUser(actor: AuthUser, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const target = await this.lockUser(m, id);
      if (target.role === 'admin' && !target.disabledAt) await this.keepAnAdmin(m, id);
      await m.getRepository(User).delete({ id });
      await this.audit.record(actor, 'user.delete', 'user', id, { email: target.email }, m);
    });
  }

  /** An admin sets a new password for someone (who forgot theirs): their sessions end. */
  async resetPassword(actor: AuthUser, id: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (m) => {
      await this.lockUser(m, id);
      await m.getRepository(User).update({ id }, { passwordHash });
      await m.getRepository(Session).delete({ userId: id });
      await this.audit.record(actor, 'user.password_reset', 'user', id, {}, m);
    });
  }

  /** A person changes their own password, proving the current one; their other sessions end. */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string, keepSession: string | null): Promise<void> {
    const user = await this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: actor.id }).getOne();
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) throw new BadRequestException({ statusCode: 400, message: 'The current password is not right' });
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (m) => {
      await m.getRepository(User).update({ id: actor.id }, { passwordHash });
      await m.query(`DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2`, [actor.id, keepSession ? sha256(keepSession) : null]);
      await this.audit.record(actor, 'user.password_change', 'user', actor.id, {}, m);
    });
  }

  private async lockUser(m: EntityManager, id: string): Promise<User> {
    const user = await m.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw new NotFoundException({ statusCode: 404, message: `User ${id} not found` });
    return user;
  }

  /** Serialised by locking every admin row: two admins demoting each other at once cannot both succeed. */
  private async keepAnAdmin(m: EntityManager, except: string): Promise<void> {
    const admins: Array<{ id: string }> = await m.query(`SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`);
    if (!admins.some((a) => a.id !== except)) throw new ConflictException({ statusCode: 409, message: 'This is the last active admin: make someone else admin first' });
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
