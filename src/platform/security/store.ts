import type pg from 'pg';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { PlatformTables } from '../db/schema.js';
import type { PermissionRule } from './permissions.js';

type Db = Kysely<PlatformTables> | Transaction<PlatformTables>;
export type UserRow = Selectable<PlatformTables['app_user']>;
export interface SessionRow {
  user_id: string;
  stage: 'change_password' | 'enrol_mfa' | 'full';
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  username: string;
  display_name: string;
  disabled_at: Date | null;
  perm_version: number;
  break_glass_authorised: boolean;
}

/** SQL of users, roles, permissions and sessions. Nothing else. */
export const securityStore = {
  userByName(db: Db, username: string) {
    return db
      .selectFrom('app_user')
      .selectAll()
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
  },

  userById(db: Db, id: string) {
    return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  },

  listUsers(db: Db) {
    return db.selectFrom('app_user').selectAll().orderBy(sql`lower(username)`).execute();
  },

  async rolesOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (userIds.length === 0) return out;
    const rows = await db
      .selectFrom('user_role')
      .select(['user_id', 'role_code'])
      .where('user_id', 'in', userIds)
      .orderBy('role_code')
      .execute();
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role_code]);
    return out;
  },

  async rulesOf(db: Db, userId: string): Promise<PermissionRule[]> {
    const fromRoles = await db
      .selectFrom('role_permission as p')
      .innerJoin('user_role as ur', 'ur.role_code', 'p.role_code')
      .select(['p.action', 'p.category', 'p.effect'])
      .where('ur.user_id', '=', userId)
      .execute();
    const own = await db
      .selectFrom('user_permission')
      .select(['action', 'category', 'effect'])
      .where('user_id', '=', userId)
      .execute();
    return [...fromRoles, ...own];
  },

  listRoles(db: Db) {
    return db.selectFrom('role').selectAll().orderBy('name').execute();
  },

  listRolePermissions(db: Db) {
    return db.selectFrom('role_permission').selectAll().orderBy(['role_code', 'category', 'action']).execute();
  },

  async setRoles(db: Db, userId: string, roles: string[]): Promise<void> {
    await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
    if (roles.length > 0) {
      await db
        .insertInto('user_role')
        .values(roles.map((role_code) => ({ user_id: userId, role_code })))
        .execute();
    }
    await db
      .updateTable('app_user')
      .set({ perm_version: sql`perm_version + 1` })
      .where('id', '=', userId)
      .execute();
  },

  async activeAdminCount(db: Db, exceptUserId: string): Promise<number> {
    const r = await db
      .selectFrom('app_user as u')
      .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
      .select(sql<number>`count(distinct u.id)`.as('n'))
      .where('ur.role_code', '=', 'admin')
      .where('u.disabled_at', 'is', null)
      .where('u.id', '!=', exceptUserId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * One round trip per request: the session, its user and the user's permission version. This is the
   * hottest query of the server, so it is a named (server-side prepared) statement.
   */
  async sessionWithUser(pool: pg.Pool, tokenHash: Buffer): Promise<SessionRow | undefined> {
    const r = await pool.query<SessionRow>({
      name: 'platform_session_lookup',
      text: `select s.user_id, s.stage, s.csrf_token, s.last_seen_at, s.expires_at, s.ended_at,
                    u.username, u.display_name, u.disabled_at, u.perm_version, u.break_glass_authorised
             from session s join app_user u on u.id = s.user_id where s.token_hash = $1`,
      values: [tokenHash],
    });
    return r.rows[0];
  },

  endSessionsOf(db: Db, userId: string, reason: string) {
    return db
      .updateTable('session')
      .set({ ended_at: new Date(), end_reason: reason })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .execute();
  },
};
