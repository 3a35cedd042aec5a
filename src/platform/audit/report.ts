import { sql, type Kysely } from 'kysely';
import type { PlatformTables } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';

/** Sort keys the report accepts, mapped to columns. Anything else is refused, never interpolated. */
export const AUDIT_SORTS = {
  time: 'occurred_at',
  user: 'username',
  patient: 'patient_id',
  action: 'action',
  category: 'category',
  outcome: 'outcome',
  channel: 'channel',
  resourceType: 'resource_type',
} as const;
export type AuditSort = keyof typeof AUDIT_SORTS;

export interface AuditQuery {
  from?: string | undefined;
  to?: string | undefined;
  user?: string | undefined;
  patient?: string | undefined;
  action?: string | undefined;
  category?: string | undefined;
  outcome?: string | undefined;
  breakGlass?: boolean | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface AuditEventView {
  id: number;
  time: string;
  userId: string | null;
  username: string | null;
  onBehalfOf: string | null;
  patientId: string | null;
  action: string;
  category: string;
  resourceType: string | null;
  resourceId: string | null;
  sourceIp: string | null;
  channel: string;
  outcome: string;
  reason: string | null;
  breakGlass: boolean;
}

function time(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('INVALID_PARAMETER', `${name} must be an ISO date or date-time.`);
  return d;
}

/** Checks the sort key against the allow-list. */
export function sortColumn(sort: string | undefined): (typeof AUDIT_SORTS)[AuditSort] {
  if (sort === undefined || sort === '') return 'occurred_at';
  if (!Object.hasOwn(AUDIT_SORTS, sort)) {
    throw new AppError('INVALID_SORT', `Sort by one of: ${Object.keys(AUDIT_SORTS).join(', ')}.`);
  }
  return AUDIT_SORTS[sort as AuditSort];
}

/** The audit report: filtered, sorted (allow-listed) and paged; all values bound as parameters. */
export function auditQuery(db: Kysely<PlatformTables>, q: AuditQuery) {
  const column = sortColumn(q.sort);
  const order = q.order === 'asc' ? 'asc' : 'desc';
  if (q.order !== undefined && q.order !== 'asc' && q.order !== 'desc') {
    throw new AppError('INVALID_PARAMETER', 'order must be asc or desc.');
  }
  const from = time(q.from, 'from');
  // A bare date as `to` means the whole of that day.
  let to = time(q.to, 'to');
  if (to && q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to)) to = new Date(to.getTime() + 86_400_000);
  let query = db.selectFrom('audit_event');
  if (from) query = query.where('occurred_at', '>=', from);
  if (to) query = query.where('occurred_at', '<', to);
  if (q.user) query = query.where(sql`lower(username)`, '=', q.user.toLowerCase());
  if (q.patient) query = query.where('patient_id', '=', q.patient);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.category) query = query.where('category', '=', q.category);
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  if (q.breakGlass !== undefined) query = query.where('break_glass', '=', q.breakGlass);
  return { query, column, order } as const;
}

export function toView(r: Record<string, unknown>): AuditEventView {
  return {
    id: r.id as number,
    time: (r.occurred_at as Date).toISOString(),
    userId: r.user_id as string | null,
    username: r.username as string | null,
    onBehalfOf: r.on_behalf_of as string | null,
    patientId: r.patient_id as string | null,
    action: r.action as string,
    category: r.category as string,
    resourceType: r.resource_type as string | null,
    resourceId: r.resource_id as string | null,
    sourceIp: r.source_ip as string | null,
    channel: r.channel as string,
    outcome: r.outcome as string,
    reason: r.reason as string | null,
    breakGlass: r.break_glass as boolean,
  };
}

export async function searchAudit(db: Kysely<PlatformTables>, q: AuditQuery) {
  const { query, column, order } = auditQuery(db, q);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  const offset = Math.max(q.offset ?? 0, 0);
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy(column, order).orderBy('id', order).limit(limit).offset(offset).execute(),
    query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toView(r as Record<string, unknown>)), total: Number(total.n) };
}

export async function auditEvent(db: Kysely<PlatformTables>, id: number): Promise<AuditEventView | null> {
  const row = await db.selectFrom('audit_event').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toView(row) : null;
}

export const CSV_COLUMNS: (keyof AuditEventView)[] = [
  'id', 'time', 'username', 'userId', 'onBehalfOf', 'patientId', 'action', 'category', 'resourceType',
  'resourceId', 'sourceIp', 'channel', 'outcome', 'reason', 'breakGlass',
];

/** One CSV cell: quoted, and prefixed with ' when a spreadsheet would read it as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) || s.length === 0 ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams the filtered events as CSV lines, in pages, so exports of any size use little memory. */
export async function* auditCsv(db: Kysely<PlatformTables>, q: AuditQuery): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  const { query, column, order } = auditQuery(db, q);
  const page = 5000;
  for (let offset = 0; ; offset += page) {
    const rows = await query.selectAll().orderBy(column, order).orderBy('id', order).limit(page).offset(offset).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => {
      const v = toView(r);
      return `${CSV_COLUMNS.map((c) => csvCell(v[c])).join(',')}\r\n`;
    }).join('');
    if (rows.length < page) return;
  }
}
