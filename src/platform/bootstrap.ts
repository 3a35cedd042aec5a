import { sql, type Kysely } from 'kysely';
import type { AuditTrail } from './audit/trail.js';
import type { Config } from './config.js';
import type { PlatformTables } from './db/schema.js';
import { generatePassword, hashPassword } from './security/passwords.js';
import { sealField } from './security/secrets.js';

export interface FirstRun {
  /** The generated admin password, to be printed once; null when CHARTROOM_ADMIN_PASSWORD was set. */
  generatedPassword: string | null;
}

/**
 * First run: the facility row and the `admin` user. A generated password must be changed at first login;
 * CHARTROOM_ADMIN_TOTP_SECRET pre-enrols the admin's TOTP so scripts can log in with one request.
 * @returns null when the database was already set up
 */
export async function bootstrap(db: Kysely<PlatformTables>, audit: AuditTrail, config: Config, fieldKey: Buffer): Promise<FirstRun | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(724007003)`.execute(trx);
    await trx.insertInto('facility').values({ id: 1, name: config.facilityName }).onConflict((oc) => oc.column('id').doNothing()).execute();
    const existing = await trx.selectFrom('app_user').select(['id', 'mfa_secret']).where(sql`lower(username)`, '=', 'admin').executeTakeFirst();
    if (existing) {
      if (config.adminTotpSecret && !existing.mfa_secret) {
        await trx.updateTable('app_user').set({ mfa_secret: sealField(fieldKey, config.adminTotpSecret), mfa_enrolled_at: new Date() }).where('id', '=', existing.id).execute();
        await audit.recordIn(trx, systemActor, { action: 'privilege_change', category: 'users', resourceType: 'User', resourceId: existing.id, reason: 'admin TOTP provisioned from CHARTROOM_ADMIN_TOTP_SECRET' });
      }
      return null;
    }
    const anyUser = await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
    if (anyUser) return null;
    const generated = config.adminPassword ? null : generatePassword();
    const admin = await trx
      .insertInto('app_user')
      .values({
        username: 'admin',
        display_name: 'Administrator',
        password_hash: await hashPassword(config.adminPassword ?? generated!),
        must_change_password: generated !== null,
        mfa_secret: config.adminTotpSecret ? sealField(fieldKey, config.adminTotpSecret) : null,
        mfa_enrolled_at: config.adminTotpSecret ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_role').values({ user_id: admin.id, role_code: 'admin' }).execute();
    await audit.recordIn(trx, systemActor, {
      action: 'privilege_change', category: 'users', resourceType: 'User', resourceId: admin.id, reason: 'first run: admin user created',
    });
    return { generatedPassword: generated };
  });
}

export const systemActor = { userId: null, username: 'system', sourceIp: null, channel: 'system' as const };
