import type { Kysely } from 'kysely';
import type { AuditTrail } from '../audit/trail.js';
import type { Actor } from '../audit/event.js';
import type { PlatformTables } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from './auth-service.js';
import { checkPasswordStrength, generatePassword, hashPassword } from './passwords.js';
import { PermissionSet, type PermissionRule } from './permissions.js';
import { securityStore as store, type UserRow } from './store.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  breakGlassAuthorised: boolean;
}

export interface NewUser {
  username: string;
  displayName: string;
  roles: string[];
  password?: string | undefined;
  totpSecret?: string | undefined;
}

function view(u: UserRow, roles: string[]): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles,
    disabled: u.disabled_at !== null,
    mfaEnrolled: u.mfa_secret !== null,
    mustChangePassword: u.must_change_password,
    lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until.toISOString() : null,
    lastLoginAt: u.last_login_at?.toISOString() ?? null,
    createdAt: u.created_at.toISOString(),
    breakGlassAuthorised: u.break_glass_authorised,
  };
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/i;

/** User administration. Every change is a privilege change, audited in its own transaction. */
export class UsersService {
  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly audit: AuditTrail,
    private readonly sealSecret: (plain: string) => string,
  ) {}

  private require(p: Principal | null): void {
    if (p && !p.permissions.can('admin', 'users')) throw new AppError('FORBIDDEN', 'You may not administer users.');
  }

  async list(p: Principal): Promise<UserView[]> {
    this.require(p);
    const users = await store.listUsers(this.db);
    const roles = await store.rolesOf(this.db, users.map((u) => u.id));
    return users.map((u) => view(u, roles.get(u.id) ?? []));
  }

  async get(p: Principal | null, id: string): Promise<UserView> {
    this.require(p);
    const u = await store.userById(this.db, id);
    if (!u) throw new AppError('USER_NOT_FOUND', `There is no user with id ${id}.`);
    return view(u, (await store.rolesOf(this.db, [id])).get(id) ?? []);
  }

  async listRoles(p: Principal) {
    this.require(p);
    const [roles, perms] = await Promise.all([store.listRoles(this.db), store.listRolePermissions(this.db)]);
    return roles.map((r) => ({
      ...r,
      permissions: perms
        .filter((x) => x.role_code === r.code)
        .map(({ action, category, effect }) => ({ action, category, effect })),
    }));
  }

  private async checkRoles(roles: string[]): Promise<void> {
    const known = new Set((await store.listRoles(this.db)).map((r) => r.code));
    const unknown = roles.filter((r) => !known.has(r));
    if (unknown.length > 0) throw new AppError('UNKNOWN_ROLE', `Unknown role(s): ${unknown.join(', ')}.`);
  }

  /** Creates a user; without a password a temporary one is generated and must be changed at first login. */
  async create(p: Principal | null, actor: Actor, input: NewUser): Promise<{ user: UserView; temporaryPassword?: string }> {
    this.require(p);
    if (!USERNAME.test(input.username)) {
      throw new AppError('VALIDATION_FAILED', 'A username is 2–64 letters, digits, dots, dashes or underscores.');
    }
    if (input.displayName.trim().length === 0) throw new AppError('VALIDATION_FAILED', 'A display name is required.');
    const roles = [...new Set(input.roles)];
    await this.checkRoles(roles);
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generated!;
    if (input.password !== undefined) checkPasswordStrength(password, input.username);
    if (await store.userByName(this.db, input.username)) {
      throw new AppError('USERNAME_TAKEN', `The username "${input.username}" is already in use.`);
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('app_user')
        .values({
          username: input.username,
          display_name: input.displayName.trim(),
          password_hash: await hashPassword(password),
          must_change_password: generated !== undefined,
          mfa_secret: input.totpSecret ? this.sealSecret(input.totpSecret) : null,
          mfa_enrolled_at: input.totpSecret ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.setRoles(trx, row.id, roles);
      await this.audit.recordIn(trx, actor, {
        action: 'privilege_change', category: 'users', resourceType: 'User', resourceId: row.id,
        reason: `user ${input.username} created with roles ${roles.join(', ') || '(none)'}`,
      });
      return row.id;
    });
    const user = await this.get(null, id);
    return generated ? { user, temporaryPassword: generated } : { user };
  }

  private async change(p: Principal | null, actor: Actor, id: string, reason: string, fn: (trx: Kysely<PlatformTables>, u: UserRow) => Promise<void>) {
    this.require(p);
    const u = await store.userById(this.db, id);
    if (!u) throw new AppError('USER_NOT_FOUND', `There is no user with id ${id}.`);
    await this.db.transaction().execute(async (trx) => {
      await fn(trx, u);
      await this.audit.recordIn(trx, actor, {
        action: 'privilege_change', category: 'users', resourceType: 'User', resourceId: id, reason: `${u.username}: ${reason}`,
      });
    });
    return this.get(null, id);
  }

  async update(p: Principal, actor: Actor, id: string, patch: { displayName?: string | undefined; roles?: string[] | undefined; breakGlassAuthorised?: boolean | undefined }) {
    if (patch.roles) await this.checkRoles(patch.roles);
    const what = [
      patch.roles ? `roles set to ${patch.roles.join(', ') || '(none)'}` : null,
      patch.displayName !== undefined ? 'display name changed' : null,
      patch.breakGlassAuthorised !== undefined ? `break-glass ${patch.breakGlassAuthorised ? 'authorised' : 'withdrawn'}` : null,
    ].filter(Boolean).join('; ');
    return this.change(p, actor, id, what || 'no change', async (trx, u) => {
      if (patch.roles) {
        const roles = [...new Set(patch.roles)];
        if (!roles.includes('admin') && (await store.rolesOf(trx, [id])).get(id)?.includes('admin') && (await store.activeAdminCount(trx, id)) === 0) {
          throw new AppError('LAST_ADMIN', 'Give another active user the admin role first.');
        }
        await store.setRoles(trx, u.id, roles);
      }
      const set: Record<string, unknown> = {};
      if (patch.displayName !== undefined) set.display_name = patch.displayName.trim();
      if (patch.breakGlassAuthorised !== undefined) set.break_glass_authorised = patch.breakGlassAuthorised;
      if (Object.keys(set).length > 0) await trx.updateTable('app_user').set(set).where('id', '=', id).execute();
    });
  }

  async setDisabled(p: Principal | null, actor: Actor, id: string, disabled: boolean) {
    return this.change(p, actor, id, disabled ? 'disabled' : 'enabled', async (trx) => {
      if (disabled && (await store.rolesOf(trx, [id])).get(id)?.includes('admin') && (await store.activeAdminCount(trx, id)) === 0) {
        throw new AppError('LAST_ADMIN', 'The last active administrator cannot be disabled.');
      }
      await trx.updateTable('app_user').set({ disabled_at: disabled ? new Date() : null, failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
      if (disabled) await store.endSessionsOf(trx, id, 'user disabled');
    });
  }

  async resetMfa(p: Principal | null, actor: Actor, id: string) {
    return this.change(p, actor, id, 'MFA reset', async (trx) => {
      await trx.updateTable('app_user').set({ mfa_secret: null, mfa_pending_secret: null, mfa_enrolled_at: null, last_totp_step: null }).where('id', '=', id).execute();
      await store.endSessionsOf(trx, id, 'MFA reset');
    });
  }

  async resetPassword(p: Principal | null, actor: Actor, id: string) {
    const temporaryPassword = generatePassword();
    const hash = await hashPassword(temporaryPassword);
    const user = await this.change(p, actor, id, 'password reset', async (trx) => {
      await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: true, failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
      await store.endSessionsOf(trx, id, 'password reset');
    });
    return { user, temporaryPassword };
  }

  /**
   * The users whose roles and own rules allow `action` on `category` (a deny wins), with whether they are active:
   * for capabilities that pick people (the coders a case can be assigned to) and name them. Not user
   * administration, so no admin check: the calling capability checks its own permission.
   */
  async allowedTo(action: string, category: string): Promise<{ id: string; username: string; displayName: string; active: boolean }[]> {
    const [users, fromRoles, own] = await Promise.all([
      this.db.selectFrom('app_user').select(['id', 'username', 'display_name', 'disabled_at']).orderBy('display_name').orderBy('username').execute(),
      this.db.selectFrom('role_permission as p').innerJoin('user_role as ur', 'ur.role_code', 'p.role_code')
        .select(['ur.user_id', 'p.action', 'p.category', 'p.effect'])
        .where('p.action', 'in', [action, '*']).where('p.category', 'in', [category, '*']).execute(),
      this.db.selectFrom('user_permission').select(['user_id', 'action', 'category', 'effect'])
        .where('action', 'in', [action, '*']).where('category', 'in', [category, '*']).execute(),
    ]);
    const rules = new Map<string, PermissionRule[]>();
    for (const r of [...fromRoles, ...own]) rules.set(r.user_id, [...(rules.get(r.user_id) ?? []), r]);
    return users
      .filter((u) => new PermissionSet(rules.get(u.id) ?? []).can(action, category))
      .map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, active: u.disabled_at === null }));
  }

  /** The active users holding a role (the physicians a query can go to), by display name. */
  async withRole(role: string): Promise<{ id: string; username: string; displayName: string }[]> {
    const rows = await this.db.selectFrom('app_user as u').innerJoin('user_role as r', 'r.user_id', 'u.id')
      .select(['u.id', 'u.username', 'u.display_name']).distinct()
      .where('r.role_code', '=', role).where('u.disabled_at', 'is', null)
      .orderBy('u.display_name').orderBy('u.username').execute();
    return rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name }));
  }

  /** Usernames and display names of users by id (unknown ids are left out), for reports that name people. */
  async namesOf(ids: readonly string[]): Promise<Map<string, { username: string; displayName: string }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.selectFrom('app_user').select(['id', 'username', 'display_name']).where('id', 'in', unique).execute();
    return new Map(rows.map((u) => [u.id, { username: u.username, displayName: u.display_name }]));
  }

  /** Looks a user up by name for the CLI. */
  async idOf(username: string): Promise<string> {
    const u = await store.userByName(this.db, username);
    if (!u) throw new AppError('USER_NOT_FOUND', `There is no user named "${username}".`);
    return u.id;
  }
}
