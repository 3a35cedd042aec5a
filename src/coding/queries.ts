import fs from 'node:fs';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { UsersService } from '../platform/security/users-service.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import { answerAgrees, checkQuery, type QueryDraft } from './query-compliance.js';
import type { CodingTables } from './schema.js';

export interface QueryTemplate { id: string; version: number; title: string; question: string; options: string[]; indicatorHints: string[] }

const TEMPLATE_FILE = JSON.parse(fs.readFileSync(new URL('./data/query-templates.json', import.meta.url), 'utf8')) as { source: string; templates: QueryTemplate[] };
for (const t of TEMPLATE_FILE.templates) {
  const problems = checkQuery({ question: t.question, options: t.options, indicators: [{ text: 'placeholder', source: 'template check' }] });
  if (problems.length > 0) throw new Error(`query template ${t.id} v${t.version} is not compliant: ${problems.map((p) => p.rule).join(', ')}`);
}

export interface QueryPolicy { escalateAfterDays: number }

/** Physician queries: compliant templates, the physician's in-box, answers, aging and escalation, and the report. */
export class QueryService {
  constructor(
    private readonly db: Kysely<CodingTables>,
    private readonly access: PatientAccess,
    private readonly audit: AuditTrail,
    private readonly policy: QueryPolicy,
    /** The platform's users, read through its service (the user tables are the platform's). */
    private readonly people: Pick<UsersService, 'withRole' | 'namesOf'>,
  ) {}

  templates(): { source: string; items: QueryTemplate[] } {
    return { source: TEMPLATE_FILE.source, items: TEMPLATE_FILE.templates };
  }

  /** The active users with the physician role, for the coder to address a query to. */
  async physicians(p: Principal): Promise<{ items: { id: string; displayName: string }[] }> {
    if (!p.permissions.can('write', 'coding')) throw new AppError('FORBIDDEN', 'You may not send physician queries.');
    const physicians = await this.people.withRole('physician');
    return { items: physicians.map((x) => ({ id: x.id, displayName: x.displayName })) };
  }

  /** Sends a query; refused (QUERY_NOT_COMPLIANT) when it mentions payment, leads, or lacks the required options. */
  async send(p: Principal, actor: Actor, input: { encounterId: string; templateId: string; physicianId: string; question?: string | undefined; options?: string[] | undefined; indicators: { text: string; source: string }[] }) {
    if (!p.permissions.can('write', 'coding')) throw new AppError('FORBIDDEN', 'You may not send physician queries.');
    const t = TEMPLATE_FILE.templates.find((x) => x.id === input.templateId);
    if (!t) throw new AppError('VALIDATION_FAILED', `No query template "${input.templateId.slice(0, 40)}".`);
    const c = await this.db.selectFrom('coding_case').select(['patient_id', 'status']).where('encounter_id', '=', input.encounterId).executeTakeFirst();
    if (!c) throw new AppError('NOT_FOUND', 'No discharged encounter with that id.');
    await this.access.require(p, actor, c.patient_id, 'write', 'coding', 'Encounter');
    const physician = (await this.people.withRole('physician')).some((u) => u.id === input.physicianId);
    if (!physician) throw new AppError('VALIDATION_FAILED', 'The query must go to an active user with the physician role.');
    const draft: QueryDraft = { question: input.question ?? t.question, options: input.options ?? t.options, indicators: input.indicators };
    const problems = checkQuery(draft);
    if (problems.length > 0) throw new AppError('QUERY_NOT_COMPLIANT', problems.map((x) => x.message).join(' '));
    const row = await this.db.transaction().execute(async (tx) => {
      const q = await tx.insertInto('coding_query').values({
        encounter_id: input.encounterId, patient_id: c.patient_id, template_id: t.id, template_version: t.version, physician_id: input.physicianId, author_id: p.userId,
        question: draft.question, indicators: JSON.stringify(draft.indicators), options: JSON.stringify(draft.options),
      }).returningAll().executeTakeFirstOrThrow();
      if (c.status !== 'final') await tx.updateTable('coding_case').set({ status: 'on_hold', updated_at: new Date() }).where('encounter_id', '=', input.encounterId).execute();
      await this.audit.recordIn(tx as never, actor, { action: 'write', category: 'coding', patientId: c.patient_id, resourceType: 'PhysicianQuery', resourceId: String(q.id), reason: `query sent (${t.id})` });
      return q;
    });
    return view(row, this.policy);
  }

  /** The queries of one encounter (for the coder) or the open ones addressed to the signed-in physician (in-box). */
  async list(p: Principal, actor: Actor, f: { encounterId?: string | undefined; inbox?: boolean | undefined }) {
    let q = this.db.selectFrom('coding_query').selectAll().orderBy('sent_at', 'desc').limit(500);
    if (f.inbox) q = q.where('physician_id', '=', p.userId).where('status', '=', 'open');
    else if (f.encounterId) {
      if (!p.permissions.can('read', 'coding')) throw new AppError('FORBIDDEN', 'You may not see queries.');
      q = q.where('encounter_id', '=', f.encounterId);
    } else throw new AppError('VALIDATION_FAILED', 'Name the encounter, or ask for your in-box.');
    const rows = await q.where(() => this.access.visibleTo(p, sql.ref('patient_id'))).execute();
    await this.escalate(rows);
    await Promise.all([...new Set(rows.map((r) => r.patient_id))].map((pid) => this.audit.record(actor, { action: 'read', category: 'coding', patientId: pid, resourceType: 'PhysicianQuery', reason: f.inbox ? 'query in-box' : 'queries of encounter' })));
    return { items: rows.map((r) => view(r, this.policy)) };
  }

  /** Queries open longer than the policy's days are marked escalated (shown to CDI and the director). */
  private async escalate(rows: { id: string; status: string; sent_at: Date; escalated_at: Date | null }[]): Promise<void> {
    const due = rows.filter((r) => r.status === 'open' && !r.escalated_at && Date.now() - r.sent_at.getTime() > this.policy.escalateAfterDays * 86_400_000);
    if (due.length === 0) return;
    const now = new Date();
    await this.db.updateTable('coding_query').set({ escalated_at: now }).where('id', 'in', due.map((r) => r.id)).execute();
    for (const r of due) r.escalated_at = now;
  }

  /** The physician answers with one of the options (free text for "Other"); the case goes back to the coder. */
  async answer(p: Principal, actor: Actor, id: string, input: { answer: string; note?: string | undefined }) {
    if (!/^\d{1,18}$/.test(id)) throw new AppError('NOT_FOUND', 'No query with that id.');
    const q = await this.db.selectFrom('coding_query').selectAll().where('id', '=', id).executeTakeFirst();
    if (!q || q.physician_id !== p.userId) throw new AppError('NOT_FOUND', 'No query with that id in your in-box.');
    if (q.status !== 'open') throw new AppError('QUERY_CLOSED', 'This query was already answered or withdrawn.');
    const options = q.options as string[];
    if (!options.includes(input.answer)) throw new AppError('VALIDATION_FAILED', 'Answer with one of the query\'s options.');
    if (/^other/i.test(input.answer) && !(input.note ?? '').trim()) throw new AppError('VALIDATION_FAILED', 'Say what "Other" is.');
    const row = await this.db.transaction().execute(async (tx) => {
      const r = await tx.updateTable('coding_query').set({ status: 'answered', answered_at: new Date(), answer: input.answer, answer_note: input.note ?? null, agreed: answerAgrees(input.answer) })
        .where('id', '=', id).where('status', '=', 'open').returningAll().executeTakeFirstOrThrow();
      const open = await tx.selectFrom('coding_query').select(tx.fn.countAll<string>().as('n')).where('encounter_id', '=', q.encounter_id).where('status', '=', 'open').executeTakeFirstOrThrow();
      if (Number(open.n) === 0) await tx.updateTable('coding_case').set({ status: 'in_progress', updated_at: new Date() }).where('encounter_id', '=', q.encounter_id).where('status', '=', 'on_hold').execute();
      await this.audit.recordIn(tx as never, actor, { action: 'write', category: 'coding', patientId: q.patient_id, resourceType: 'PhysicianQuery', resourceId: id, reason: 'query answered' });
      return r;
    });
    return view(row, this.policy);
  }

  /** Response and agreement rates by physician and by author (CDI specialist or coder). */
  async report(p: Principal, actor: Actor) {
    if (!p.permissions.can('read', 'coding')) throw new AppError('FORBIDDEN', 'You may not see the query report.');
    const by = (col: 'physician_id' | 'author_id') => sql<{ user_id: string; sent: string; answered: string; agreed: string; escalated: string; avg_hours: string | null }>`
      select q.${sql.ref(col)} as user_id, count(*)::text as sent, count(*) filter (where q.status = 'answered')::text as answered,
        count(*) filter (where q.agreed)::text as agreed, count(*) filter (where q.escalated_at is not null)::text as escalated,
        round(avg(extract(epoch from q.answered_at - q.sent_at) / 3600)::numeric, 1)::text as avg_hours
      from coding_query q group by 1`.execute(this.db);
    const shape = (r: { user_id: string; username: string; sent: string; answered: string; agreed: string; escalated: string; avg_hours: string | null }) => {
      const sent = Number(r.sent);
      const answered = Number(r.answered);
      return { userId: r.user_id, username: r.username, sent, answered, responseRate: sent ? answered / sent : 0, agreementRate: answered ? Number(r.agreed) / answered : 0, escalated: Number(r.escalated), averageHoursToAnswer: r.avg_hours === null ? null : Number(r.avg_hours) };
    };
    const [phys, authors] = await Promise.all([by('physician_id'), by('author_id')]);
    const names = await this.people.namesOf([...phys.rows, ...authors.rows].map((r) => r.user_id));
    const named = (rows: typeof phys.rows) =>
      rows.filter((r) => names.has(r.user_id)).map((r) => ({ ...r, username: names.get(r.user_id)!.username })).sort((a, b) => a.username.localeCompare(b.username));
    await this.audit.record(actor, { action: 'read', category: 'coding', reason: 'query report' });
    return { byPhysician: named(phys.rows).map(shape), byAuthor: named(authors.rows).map(shape) };
  }
}

function view(r: Selectable<CodingTables['coding_query']>, policy: QueryPolicy) {
  const ageDays = Math.floor(((r.answered_at ?? new Date()).getTime() - r.sent_at.getTime()) / 86_400_000);
  return {
    id: String(r.id), encounterId: r.encounter_id, patientId: r.patient_id, template: { id: r.template_id, version: r.template_version }, physicianId: r.physician_id, authorId: r.author_id,
    question: r.question, indicators: r.indicators as { text: string; source: string }[], options: r.options as string[], status: r.status,
    sentAt: r.sent_at.toISOString(), ageDays, escalated: r.escalated_at !== null, escalateAfterDays: policy.escalateAfterDays,
    answeredAt: r.answered_at?.toISOString() ?? null, answer: r.answer, answerNote: r.answer_note, agreed: r.agreed,
  };
}
