import type { Kysely } from 'kysely';
import type { Actor } from './audit/event.js';
import type { AuditTrail } from './audit/trail.js';
import type { PlatformTables } from './db/schema.js';
import { AppError } from './errors/app-error.js';
import type { Principal } from './security/auth-service.js';

/** The audit settings of a site. HIPAA asks for six years of retention; the trail itself can never be switched off. */
export interface AuditSettings {
  retentionYears: number;
  logReferenceReads: boolean;
}

/** Site settings; a change of an audit setting is itself audited (audit_setting_change), in the same transaction. */
export class SettingsService {
  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly audit: AuditTrail,
  ) {}

  async auditSettings(p: Principal): Promise<AuditSettings> {
    if (!p.permissions.can('admin', 'settings') && !p.permissions.can('read', 'audit')) throw new AppError('FORBIDDEN', 'You may not read the audit settings.');
    const rows = await this.db.selectFrom('platform_setting').select(['key', 'value']).where('key', 'like', 'audit.%').execute();
    const get = (k: string) => rows.find((r) => r.key === k)?.value;
    return { retentionYears: Number(get('audit.retentionYears') ?? 6), logReferenceReads: get('audit.logReferenceReads') === true };
  }

  async changeAuditSettings(p: Principal, actor: Actor, patch: Partial<AuditSettings>): Promise<AuditSettings> {
    if (!p.permissions.can('admin', 'settings')) throw new AppError('FORBIDDEN', 'Only an administrator may change the audit settings.');
    if (patch.retentionYears !== undefined && (!Number.isInteger(patch.retentionYears) || patch.retentionYears < 6 || patch.retentionYears > 100)) {
      throw new AppError('VALIDATION_FAILED', 'Audit retention is 6 to 100 years (HIPAA requires at least six).');
    }
    const before = await this.auditSettings(p);
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(patch)) {
        await trx.insertInto('platform_setting').values({ key: `audit.${key}`, value: JSON.stringify(value), updated_by: p.userId })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date(), updated_by: p.userId })).execute();
      }
      const changes = Object.entries(patch).map(([k, v]) => `${k}: ${String(before[k as keyof AuditSettings])} → ${String(v)}`);
      await this.audit.recordIn(trx, actor, { action: 'audit_setting_change', category: 'audit', resourceType: 'AuditSettings', reason: changes.join('; ') || 'no change' });
    });
    return this.auditSettings(p);
  }
}
