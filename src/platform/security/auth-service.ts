import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { AuditTrail } from '../audit/trail.js';
import type { Actor } from '../audit/event.js';
import type { Config } from '../config.js';
import type { PlatformTables } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.js';
import { PermissionSet } from './permissions.js';
import { openField, sealField } from './secrets.js';
import { securityStore as store, type UserRow } from './store.js';
import { checkTotp, enrolment, newTotpSecret } from './totp.js';

export type Stage = 'change_password' | 'enrol_mfa' | 'full';

/** The signed-in user as every service sees it. */
export interface Principal {
  tokenHash: Buffer;
  userId: string;
  username: string;
  displayName: string;
  stage: Stage;
  csrfToken: string;
  expiresAt: Date;
  idleExpiresAt: Date;
  permissions: PermissionSet;
  roles: string[];
  breakGlassAuthorised: boolean;
}

export interface SessionInfo {
  user: { id: string; username: string; displayName: string; roles: string[] };
  stage: Stage;
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
  permissions: string[];
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string | undefined;
}

const TOUCH_EVERY_MS = 15_000;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Login, sessions, password change and TOTP enrolment. Sessions live in PostgreSQL (any process can
 * serve any request); only immutable derived data (permission sets per user and version) is cached.
 */
export class AuthService {
  private readonly permCache = new Map<string, { version: number; set: PermissionSet; roles: string[] }>();

  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly pool: pg.Pool,
    private readonly audit: AuditTrail,
    private readonly config: Config,
    private readonly fieldKey: Buffer,
  ) {}

  private actorFor(user: { id: string; username: string } | null, base: Actor, attempted?: string): Actor {
    return { ...base, userId: user?.id ?? null, username: user?.username ?? attempted?.slice(0, 100) ?? null };
  }

  /** Checks credentials; the same answer and work for an unknown user, a wrong password, a locked or disabled account. */
  async login(input: LoginInput, source: Actor): Promise<{ token: string; principal: Principal }> {
    const user = await store.userByName(this.db, input.username);
    const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
    const now = new Date();
    const locked = user?.locked_until != null && user.locked_until > now;
    if (!user || !passwordOk || locked || user.disabled_at !== null) {
      const why = !user ? 'unknown user' : user.disabled_at ? 'disabled' : locked ? 'locked' : 'wrong password';
      await this.failLogin(user, input.username, source, why, passwordOk && !locked);
      throw new AppError('INVALID_CREDENTIALS', 'The username or password is wrong, or the account is locked or disabled.');
    }
    if (user.mfa_secret) {
      if (!input.totp) {
        await this.audit.record(this.actorFor(user, source), {
          action: 'login', category: 'security', outcome: 'failure', reason: 'one-time code required',
        });
        throw new AppError('MFA_REQUIRED', 'Enter the 6-digit code from your authenticator app.');
      }
      const step = checkTotp(openField(this.fieldKey, user.mfa_secret), input.totp);
      const reused = this.config.totpRejectReuse && step !== null && user.last_totp_step !== null && step <= user.last_totp_step;
      if (step === null || reused) {
        await this.failLogin(user, input.username, source, reused ? 'one-time code reused' : 'wrong one-time code', false);
        throw new AppError('INVALID_TOTP', 'The one-time code is wrong or expired.');
      }
      await this.db.updateTable('app_user').set({ last_totp_step: step }).where('id', '=', user.id).execute();
    }
    const stage: Stage = user.must_change_password ? 'change_password' : user.mfa_secret ? 'full' : 'enrol_mfa';
    const token = randomBytes(32).toString('base64url');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('app_user')
        .set({ failed_attempts: 0, locked_until: null, last_login_at: now })
        .where('id', '=', user.id)
        .execute();
      await trx
        .insertInto('session')
        .values({
          token_hash: hashToken(token),
          user_id: user.id,
          stage,
          csrf_token: randomBytes(24).toString('base64url'),
          source_ip: source.sourceIp,
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + this.config.session.absoluteSeconds * 1000),
        })
        .execute();
      await this.audit.recordIn(trx, this.actorFor(user, source), {
        action: 'login', category: 'security', outcome: 'success', reason: stage === 'full' ? null : `stage ${stage}`,
      });
    });
    return { token, principal: await this.authenticate(token) };
  }

  private async failLogin(user: UserRow | undefined, attempted: string, source: Actor, why: string, noCount: boolean) {
    await this.db.transaction().execute(async (trx) => {
      if (user && !noCount && user.disabled_at === null) {
        const failures = user.failed_attempts + 1;
        const lock = failures >= this.config.lockout.threshold;
        await trx
          .updateTable('app_user')
          .set({
            failed_attempts: lock ? 0 : failures,
            locked_until: lock ? new Date(Date.now() + this.config.lockout.minutes * 60_000) : user.locked_until,
          })
          .where('id', '=', user.id)
          .execute();
        if (lock) why += `; account locked for ${this.config.lockout.minutes} min`;
      }
      await this.audit.recordIn(trx, this.actorFor(user ?? null, source, attempted), {
        action: 'login', category: 'security', outcome: 'failure', reason: why,
      });
    });
  }

  /** Resolves a session token, enforcing idle and absolute time-outs and user disablement. */
  async authenticate(token: string, touch = true): Promise<Principal> {
    const tokenHash = hashToken(token);
    const row = await store.sessionWithUser(this.pool, tokenHash);
    if (!row || row.ended_at !== null) throw new AppError('NOT_AUTHENTICATED', 'Please sign in.');
    const now = Date.now();
    const idleMs = this.config.session.idleSeconds * 1000;
    const expired = row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleMs <= now;
    if (expired || row.disabled_at !== null) {
      const why = row.disabled_at ? 'user disabled' : row.expires_at.getTime() <= now ? 'session lifetime reached' : 'idle time-out';
      if (await this.endSession(tokenHash, why)) {
        await this.audit.record({ userId: row.user_id, username: row.username, sourceIp: null, channel: 'system' }, { action: 'logout', category: 'security', reason: why });
      }
      throw new AppError('SESSION_EXPIRED', 'Your session has ended. Please sign in again.');
    }
    let lastSeen = row.last_seen_at.getTime();
    if (touch && now - lastSeen > Math.min(TOUCH_EVERY_MS, idleMs / 4)) {
      lastSeen = now;
      await this.db.updateTable('session').set({ last_seen_at: new Date(now) }).where('token_hash', '=', tokenHash).execute();
    }
    const perms = await this.permissionsOf(row.user_id, row.perm_version);
    return {
      tokenHash,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      stage: row.stage,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      idleExpiresAt: new Date(Math.min(lastSeen + idleMs, row.expires_at.getTime())),
      permissions: perms.set,
      roles: perms.roles,
      breakGlassAuthorised: row.break_glass_authorised,
    };
  }

  private async permissionsOf(userId: string, version: number) {
    const hit = this.permCache.get(userId);
    if (hit && hit.version === version) return hit;
    const [rules, roles] = await Promise.all([store.rulesOf(this.db, userId), store.rolesOf(this.db, [userId])]);
    const entry = { version, set: new PermissionSet(rules), roles: roles.get(userId) ?? [] };
    this.permCache.set(userId, entry);
    return entry;
  }

  sessionInfo(p: Principal): SessionInfo {
    return {
      user: { id: p.userId, username: p.username, displayName: p.displayName, roles: p.roles },
      stage: p.stage,
      csrfToken: p.csrfToken,
      idleTimeoutSeconds: this.config.session.idleSeconds,
      expiresAt: p.expiresAt.toISOString(),
      permissions: p.permissions.list(),
    };
  }

  /** Ends a session; tells whether this call ended it (false when it had ended already). */
  private async endSession(tokenHash: Buffer, reason: string): Promise<boolean> {
    const r = await this.db
      .updateTable('session')
      .set({ ended_at: new Date(), end_reason: reason })
      .where('token_hash', '=', tokenHash)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async logout(p: Principal, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('session')
        .set({ ended_at: new Date(), end_reason: 'logout' })
        .where('token_hash', '=', p.tokenHash)
        .execute();
      await this.audit.recordIn(trx, actor, { action: 'logout', category: 'security' });
    });
  }

  async changePassword(p: Principal, actor: Actor, current: string, next: string): Promise<Principal> {
    const user = await store.userById(this.db, p.userId);
    if (!user || !(await verifyPassword(user.password_hash, current))) {
      await this.audit.record(actor, { action: 'write', category: 'security', outcome: 'failure', reason: 'password change: wrong current password' });
      throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    checkPasswordStrength(next, user.username);
    if (await verifyPassword(user.password_hash, next)) {
      throw new AppError('PASSWORD_TOO_WEAK', 'The new password must differ from the current one.');
    }
    const stage: Stage = user.mfa_secret ? 'full' : 'enrol_mfa';
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('app_user')
        .set({ password_hash: await hashPassword(next), must_change_password: false })
        .where('id', '=', user.id)
        .execute();
      // Other sessions of this user end; this one continues at its next stage.
      await trx
        .updateTable('session')
        .set({ ended_at: new Date(), end_reason: 'password changed' })
        .where('user_id', '=', user.id)
        .where('ended_at', 'is', null)
        .where('token_hash', '!=', p.tokenHash)
        .execute();
      await trx.updateTable('session').set({ stage }).where('token_hash', '=', p.tokenHash).execute();
      await this.audit.recordIn(trx, actor, { action: 'write', category: 'security', reason: 'password changed' });
    });
    return { ...p, stage };
  }

  async startMfaEnrolment(p: Principal) {
    const secret = newTotpSecret();
    await this.db
      .updateTable('app_user')
      .set({ mfa_pending_secret: sealField(this.fieldKey, secret) })
      .where('id', '=', p.userId)
      .execute();
    return enrolment(secret, p.username, this.config.facilityName ? `Chartroom (${this.config.facilityName})` : 'Chartroom');
  }

  async verifyMfa(p: Principal, actor: Actor, token: string): Promise<Principal> {
    const user = await store.userById(this.db, p.userId);
    if (!user?.mfa_pending_secret) throw new AppError('MFA_NOT_PENDING', 'Start the enrolment first.');
    const secret = openField(this.fieldKey, user.mfa_pending_secret);
    const step = checkTotp(secret, token);
    if (step === null) {
      await this.audit.record(actor, { action: 'write', category: 'security', outcome: 'failure', reason: 'MFA enrolment: wrong code' });
      throw new AppError('MFA_CODE_MISMATCH', 'The code does not match. Check the time on your phone and try again.');
    }
    const stage: Stage = user.must_change_password ? 'change_password' : 'full';
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('app_user')
        .set({ mfa_secret: user.mfa_pending_secret, mfa_pending_secret: null, mfa_enrolled_at: new Date(), last_totp_step: step })
        .where('id', '=', user.id)
        .execute();
      await trx.updateTable('session').set({ stage }).where('token_hash', '=', p.tokenHash).execute();
      await this.audit.recordIn(trx, actor, { action: 'write', category: 'security', reason: 'MFA enrolled' });
    });
    return { ...p, stage };
  }
}
