import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import { Readable } from 'node:stream';
import type { AuditTrail } from '../../audit/trail.js';
import { auditCsv, auditEvent, searchAudit, type AuditQuery } from '../../audit/report.js';
import type { PlatformTables } from '../../db/schema.js';
import { AppError } from '../../errors/app-error.js';
import type { Principal } from '../../security/auth-service.js';
import type { SettingsService } from '../../settings.js';
import { principalOf, type HttpApp } from '../app.js';

const Filters = {
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  user: Type.Optional(Type.String({ maxLength: 200 })),
  patient: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 40 })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  outcome: Type.Optional(Type.String({ maxLength: 20 })),
  breakGlass: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.String({ maxLength: 100 })),
  order: Type.Optional(Type.String({ maxLength: 10 })),
};
const Search = Type.Object(
  { ...Filters, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
const Export = Type.Object(Filters, { additionalProperties: false });

function mayRead(p: Principal, action: 'read' | 'export'): void {
  if (!p.permissions.can(action, 'audit')) throw new AppError('FORBIDDEN', `You may not ${action} the audit trail.`);
}

const filterNames = (q: Record<string, unknown>) => Object.keys(q).filter((k) => q[k] !== undefined && k !== 'limit' && k !== 'offset');

/** The audit report (ONC (d)(3)) and its CSV export; both are audited themselves. */
export function auditRoutes(app: HttpApp, db: Kysely<PlatformTables>, audit: AuditTrail, settings: SettingsService): void {
  app.get('/api/settings/audit', async (req) => settings.auditSettings(principalOf(req)));
  app.put(
    '/api/settings/audit',
    { schema: { body: Type.Object({ retentionYears: Type.Optional(Type.Integer()), logReferenceReads: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) } },
    async (req) => settings.changeAuditSettings(principalOf(req), req.actor, req.body),
  );

  app.get('/api/audit', { schema: { querystring: Search } }, async (req) => {
    const p = principalOf(req);
    mayRead(p, 'read');
    const q = req.query as AuditQuery;
    const result = await searchAudit(db, q);
    await audit.record(req.actor, { action: 'read', category: 'audit', resourceType: 'AuditEvent', details: { filters: filterNames(req.query), rows: result.items.length } });
    return result;
  });

  app.get('/api/audit/:id', { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }) } }, async (req) => {
    mayRead(principalOf(req), 'read');
    const event = await auditEvent(db, req.params.id);
    if (!event) throw new AppError('NOT_FOUND', `No audit event ${req.params.id}.`);
    await audit.record(req.actor, { action: 'read', category: 'audit', resourceType: 'AuditEvent', resourceId: String(event.id) });
    return event;
  });

  app.get('/api/audit/export.csv', { schema: { querystring: Export } }, async (req, reply) => {
    const p = principalOf(req);
    mayRead(p, 'export');
    const q = req.query as AuditQuery;
    // Validate before anything is sent, so a bad filter is a clean 400.
    const lines = auditCsv(db, q);
    const first = await lines.next();
    await audit.record(req.actor, { action: 'export', category: 'audit', resourceType: 'AuditEvent', details: { filters: filterNames(req.query), format: 'csv' } });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    async function* all() {
      if (!first.done) yield first.value;
      yield* lines;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="chartroom-audit-${stamp}.csv"`)
      .send(Readable.from(all()));
  });
}
