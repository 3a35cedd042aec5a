import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { EncounterService } from '../encounters/service.js';
import type { ClaimInput, CompiledGrouper, GroupResult } from '../grouper/engine/index.js';
import { group } from '../grouper/engine/index.js';
import type { GrouperService } from '../grouper/service.js';
import type { MceService } from '../mce/index.js';
import type { PatientService } from '../patients/service.js';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import { AppError, isAppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import { ageOn, bareCode, checkAbstract, EMPTY_ABSTRACT, editClaim, groupingClaim, type Abstract, type PatientFacts } from './abstract.js';
import type { PeopleDirectory } from './assignments.js';
import { ageBand, blockersOf, type CaseStatus } from './dnfb.js';
import type { CodingTables } from './schema.js';
import { opportunities } from './what-if.js';

type Db = Kysely<CodingTables>;

/** What the coding module needs of the code sets (CodesetService satisfies it). */
export interface CodeChecker {
  validate(code: string, system: string, date?: string): Promise<{ valid: boolean; status: string; message: string; title?: string; children?: { code: string; title: string }[]; version: { label: string; notice: string | null } }>;
  detail(code: string, system: string, date?: string): Promise<{ poaExempt: boolean | null }>;
}

export interface CodingDeps {
  db: Db;
  audit: AuditTrail;
  access: PatientAccess;
  patients: PatientService;
  encounters: EncounterService;
  codes: CodeChecker;
  grouper: GrouperService;
  mce: MceService;
  people: PeopleDirectory;
  baseRate: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TARGETS = fs.readFileSync(new URL('./data/cdi-targets.tsv', import.meta.url), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('code\t')).map((l) => bareCode(l.split('\t')[0] ?? ''));

export interface CodeCheck { code: string; role: 'principal' | 'secondary' | 'admitting' | 'procedure'; valid: boolean; status: string; message: string; title: string | null; poaExempt: boolean }

/** Abstracting and the DNFB work list: the coder's use cases. */
export class CodingService {
  constructor(private readonly d: CodingDeps) {}

  private may(p: Principal, action: 'read' | 'write'): void {
    if (!p.permissions.can(action, 'coding')) throw new AppError('FORBIDDEN', action === 'read' ? 'You may not see coding.' : 'You may not code encounters.');
  }

  /** Brings discharged encounters into the work list (and drops cancelled ones that were never coded). */
  async sync(): Promise<number> {
    const cur = await this.d.db.selectFrom('coding_sync').select('cursor').executeTakeFirstOrThrow();
    let cursor = cur.cursor;
    let n = 0;
    for (;;) {
      const rows = await this.d.encounters.changedSince(cursor);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.status === 'discharged' && r.discharge_at) {
          const dischargeAt = r.discharge_at;
          await this.d.db.insertInto('coding_case').values({ encounter_id: r.id, patient_id: r.patient_id, account_number: r.account_number, encounter_class: r.class, discharge_at: dischargeAt, payer: r.payer })
            .onConflict((oc) => oc.column('encounter_id').doUpdateSet({ patient_id: r.patient_id, discharge_at: dischargeAt, payer: r.payer, encounter_class: r.class })).execute();
          n++;
        } else {
          await this.d.db.deleteFrom('coding_case').where('encounter_id', '=', r.id).where('version', '=', 0).execute();
        }
        cursor = r.updated_at;
      }
      await this.d.db.updateTable('coding_sync').set({ cursor }).execute();
      if (rows.length < 5000) break;
    }
    return n;
  }

  /**
   * The DNFB list: discharged, not final-coded; with what blocks each, days since discharge, expected payment, the
   * patient and the assignee. `assignedTo` is a user id, `me` or `none` (unassigned).
   */
  async worklist(p: Principal, actor: Actor, f: { status?: string | undefined; assignedTo?: string | undefined; reason?: string | undefined; limit?: number | undefined }) {
    this.may(p, 'read');
    const assignedTo = f.assignedTo === 'me' ? p.userId : f.assignedTo;
    if (assignedTo && assignedTo !== 'none' && !UUID.test(assignedTo)) throw new AppError('INVALID_PARAMETER', 'assignedTo is a user id, "me" or "none".');
    await this.sync();
    let q = this.d.db.selectFrom('coding_case as c').selectAll('c')
      .select((eb) => eb.selectFrom('coding_query as q').select(eb.fn.countAll<string>().as('n')).whereRef('q.encounter_id', '=', 'c.encounter_id').where('q.status', '=', 'open').as('open_queries'))
      .where('c.status', '<>', 'final').where(() => this.d.access.visibleTo(p, sql.ref('c.patient_id')));
    if (f.status) q = q.where('c.status', '=', f.status as CaseStatus);
    if (assignedTo === 'none') q = q.where('c.assigned_to', 'is', null);
    else if (assignedTo) q = q.where('c.assigned_to', '=', assignedTo);
    const now = Date.now();
    const rows = (await q.orderBy('c.discharge_at').limit(Math.min(f.limit ?? 500, 2000)).execute()).map((r) => {
      const days = Math.floor((now - r.discharge_at.getTime()) / 86_400_000);
      return { r, days, openQueries: Number(r.open_queries ?? 0), blockers: blockersOf({ status: r.status, version: r.version, openQueries: Number(r.open_queries ?? 0), editCount: r.edit_count }) };
    }).filter((x) => !f.reason || x.blockers.includes(f.reason as never));
    const [patients, people] = await Promise.all([
      this.d.patients.basicsOfMany(rows.map((x) => x.r.patient_id)),
      this.d.people.namesOf(rows.flatMap((x) => (x.r.assigned_to ? [x.r.assigned_to] : []))),
    ]);
    const items = rows.map(({ r, days, openQueries, blockers }) => {
      const pt = patients.get(r.patient_id);
      return {
        encounterId: r.encounter_id, accountNumber: r.account_number, class: r.encounter_class, dischargeAt: r.discharge_at.toISOString(), daysSinceDischarge: days, ageBand: ageBand(days),
        status: r.status, assignedTo: r.assigned_to, assignee: r.assigned_to ? { id: r.assigned_to, displayName: people.get(r.assigned_to)?.displayName ?? null } : null,
        drg: r.drg, weight: r.weight, expectedPayment: r.expected_payment === null ? null : Number(r.expected_payment),
        payer: r.payer, blockers, openQueries, patient: pt ? { id: pt.id, mrn: pt.mrn, family: pt.family, given: pt.given } : null,
      };
    });
    const totals: Record<string, Record<string, { cases: number; amount: number }>> = {};
    for (const i of items) {
      for (const b of i.blockers) {
        const t = ((totals[b] ??= {})[i.ageBand] ??= { cases: 0, amount: 0 });
        t.cases++;
        t.amount += i.expectedPayment ?? 0;
      }
    }
    await Promise.all([...new Set(items.map((i) => i.patient?.id).filter(Boolean))].map((pid) => this.d.audit.record(actor, { action: 'read', category: 'coding', patientId: pid, resourceType: 'CodingCase', reason: 'DNFB work list' })));
    // Today's snapshot is of the whole DNFB: a coder's filtered view must not replace it.
    if (!f.status && !f.assignedTo && !f.reason) await this.snapshot(items).catch(() => undefined);
    return { items, totals, baseRate: this.d.baseRate };
  }

  /** Today's DNFB totals by reason and age band, kept for the trend plot (one snapshot per day, the latest wins). */
  private async snapshot(items: { blockers: string[]; ageBand: string; expectedPayment: number | null }[]): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const agg = new Map<string, { reason: string; band: string; cases: number; amount: number }>();
    for (const i of items) for (const reason of ['all', ...i.blockers]) {
      const k = `${reason}|${i.ageBand}`;
      const a = agg.get(k) ?? { reason, band: i.ageBand, cases: 0, amount: 0 };
      a.cases++;
      a.amount += i.expectedPayment ?? 0;
      agg.set(k, a);
    }
    await this.d.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('coding_dnfb_snapshot').where('day', '=', day).execute();
      if (agg.size > 0) await tx.insertInto('coding_dnfb_snapshot').values([...agg.values()].map((a) => ({ day, reason: a.reason, age_band: a.band, cases: a.cases, amount: a.amount.toFixed(2) }))).execute();
    });
  }

  async trend(p: Principal, days = 90) {
    this.may(p, 'read');
    const rows = await this.d.db.selectFrom('coding_dnfb_snapshot').selectAll().where('day', '>=', new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)).orderBy('day').execute();
    return { items: rows.map((r) => ({ day: r.day, reason: r.reason, ageBand: r.age_band, cases: r.cases, amount: Number(r.amount) })) };
  }

  private async caseRow(p: Principal, actor: Actor, encounterId: string) {
    const find = () => this.d.db.selectFrom('coding_case').selectAll().where('encounter_id', '=', encounterId).executeTakeFirst();
    // The work list syncs; a case opened before it was listed syncs here (not on every evaluation as the coder types).
    const c = (await find()) ?? (await this.sync().then(find));
    if (!c) throw new AppError('NOT_FOUND', 'No discharged encounter with that id.');
    await this.d.access.require(p, actor, c.patient_id, 'read', 'coding', 'Encounter');
    return c;
  }

  private async facts(c: { encounter_id: string; patient_id: string }): Promise<PatientFacts & { encounter: Awaited<ReturnType<EncounterService['factsOf']>>; patient: Awaited<ReturnType<PatientService['basicsOf']>> }> {
    const enc = await this.d.encounters.factsOf(c.encounter_id);
    const pt = await this.d.patients.basicsOf(c.patient_id);
    const dischargeDate = (enc.dischargeAt ?? new Date().toISOString()).slice(0, 10);
    const sex = pt.sex === 'M' || pt.sex === 'F' ? pt.sex : 'U';
    return { age: ageOn(pt.birthDate, dischargeDate), sex, dischargeDate, admitDate: enc.admitAt?.slice(0, 10) ?? null, dischargeStatus: enc.dischargeDisposition ?? '01', encounter: enc, patient: pt };
  }

  /** The case with its current abstract, evaluated (codes, DRG, edits), queries and version history. */
  async get(p: Principal, actor: Actor, encounterId: string) {
    this.may(p, 'read');
    const c = await this.caseRow(p, actor, encounterId);
    const current = c.version > 0
      ? (await this.d.db.selectFrom('coding_abstract').select('abstract').where('encounter_id', '=', encounterId).where('version', '=', c.version).executeTakeFirstOrThrow()).abstract as Abstract
      : null;
    const f = await this.facts(c);
    const abstract: Abstract = current ?? { ...EMPTY_ABSTRACT, dischargeDisposition: f.encounter.dischargeDisposition, admitSource: f.encounter.admitSource, admitType: f.encounter.admitType };
    const versions = await this.d.db.selectFrom('coding_abstract').select(['version', 'saved_at', 'saved_by', 'status', 'reason']).where('encounter_id', '=', encounterId).orderBy('version', 'desc').execute();
    await this.d.audit.record(actor, { action: 'read', category: 'coding', patientId: c.patient_id, resourceType: 'CodingCase', resourceId: encounterId });
    return {
      encounterId, status: c.status, version: c.version, assignedTo: c.assigned_to, locked: c.status === 'final',
      encounter: f.encounter, patient: { ...f.patient, age: f.age }, abstract, evaluation: publicView(await this.evaluateFor(p, abstract, f)),
      versions: versions.map((v) => ({ version: v.version, savedAt: v.saved_at.toISOString(), savedBy: v.saved_by, status: v.status, reason: v.reason })),
    };
  }

  /** Evaluates an abstract without saving it: what the coder sees change as they type. */
  async evaluate(p: Principal, actor: Actor, encounterId: string, abstract: Abstract) {
    this.may(p, 'read');
    const c = await this.caseRow(p, actor, encounterId);
    return publicView(await this.evaluateFor(p, checkAbstract(abstract), await this.facts(c)));
  }

  private async evaluateFor(p: Principal, a: Abstract, f: PatientFacts) {
    const checks = await this.checkCodes(a, f.dischargeDate);
    const claim = groupingClaim(a, f);
    let grouping: { version: string; notice: string | null; result: GroupResult; expectedPayment: number | null } | null = null;
    let compiled: CompiledGrouper | null = null;
    let grouperError: string | null = null;
    if (claim.pdx) {
      try {
        const cat = await this.d.grouper.catalogue();
        const { row, notice } = cat.choose(null, f.dischargeDate);
        compiled = await cat.compiled(row);
        const result = group(compiled, claim, { trace: true });
        if (notice) result.trace.unshift(notice);
        grouping = { version: row.version, notice, result, expectedPayment: result.weight === null ? null : Math.round(result.weight * this.d.baseRate * 100) / 100 };
      } catch (e) {
        if (!isAppError(e)) throw e;
        grouperError = e.detail;
      }
    }
    let edits: Awaited<ReturnType<MceService['editClaim']>> | null = null;
    let editError: string | null = null;
    if (claim.pdx) {
      try {
        edits = await this.d.mce.editClaim(p, editClaim(a, f));
      } catch (e) {
        if (!isAppError(e)) throw e;
        editError = e.detail;
      }
    }
    return { checks, grouping, grouperError, edits, editError, codeSetNotice: checks.find((x) => x.message.includes('newest') || x.message.includes('latest'))?.message ?? null, compiled };
  }

  private async checkCodes(a: Abstract, date: string): Promise<CodeCheck[]> {
    const list: { code: string; role: CodeCheck['role']; system: 'icd10cm' | 'icd10pcs' }[] = [
      ...(a.principalDx ? [{ code: a.principalDx, role: 'principal' as const, system: 'icd10cm' as const }] : []),
      ...a.secondary.map((s) => ({ code: s.code, role: 'secondary' as const, system: 'icd10cm' as const })),
      ...(a.admittingDx ? [{ code: a.admittingDx, role: 'admitting' as const, system: 'icd10cm' as const }] : []),
      ...a.procedures.map((x) => ({ code: x.code, role: 'procedure' as const, system: 'icd10pcs' as const })),
    ];
    return Promise.all(list.map(async (x) => {
      try {
        const v = await this.d.codes.validate(x.code, x.system, date);
        const exempt = v.valid && x.system === 'icd10cm' ? (await this.d.codes.detail(x.code, x.system, date)).poaExempt === true : false;
        return { code: x.code, role: x.role, valid: v.valid, status: v.status, message: v.message, title: v.title ?? null, poaExempt: exempt };
      } catch (e) {
        if (!isAppError(e)) throw e;
        return { code: x.code, role: x.role, valid: false, status: 'unavailable', message: e.detail, title: null, poaExempt: false };
      }
    }));
  }

  /** Saves the abstract as a new version; `final` locks it (every code must be valid and billable first). */
  async save(p: Principal, actor: Actor, encounterId: string, input: { abstract: Abstract; status: 'in_progress' | 'coded' | 'final'; version?: number | undefined }) {
    this.may(p, 'write');
    const c = await this.caseRow(p, actor, encounterId);
    await this.d.access.require(p, actor, c.patient_id, 'write', 'coding', 'Encounter');
    if (c.status === 'final') throw new AppError('ABSTRACT_LOCKED', 'The abstract is final; re-open it with a reason to change it.');
    if (input.version !== undefined && input.version !== c.version) throw new AppError('ABSTRACT_VERSION_CONFLICT', `Someone saved this abstract meanwhile (version ${c.version}); reload it.`);
    const a = checkAbstract(input.abstract);
    const f = await this.facts(c);
    const ev = await this.evaluateFor(p, a, f);
    if (input.status !== 'in_progress') {
      const bad = ev.checks.filter((x) => !x.valid);
      if (!a.principalDx) throw new AppError('ABSTRACT_INCOMPLETE', 'A principal diagnosis is required.');
      if (bad.length > 0) throw new AppError('ABSTRACT_INCOMPLETE', `Fix the codes first: ${bad.map((b) => `${b.code} (${b.status})`).join(', ').slice(0, 300)}.`);
      const missingPoa = a.secondary.filter((s, i) => s.poa === '' && !ev.checks.filter((x) => x.role === 'secondary')[i]?.poaExempt);
      if (missingPoa.length > 0) throw new AppError('ABSTRACT_INCOMPLETE', `POA is required for ${missingPoa.map((s) => s.code).join(', ')}.`);
    }
    const editCount = ev.edits?.edits.filter((e) => e.counted).length ?? 0;
    const r = ev.grouping?.result;
    const summary = r ? { version: ev.grouping?.version, drg: r.drg, mdc: r.mdc, returnCode: r.returnCode, weight: r.weight, expectedPayment: ev.grouping?.expectedPayment } : null;
    const version = c.version + 1;
    await this.d.db.transaction().execute(async (tx) => {
      await tx.insertInto('coding_abstract').values({ encounter_id: encounterId, version, saved_by: actor.username, status: input.status, reason: null, abstract: JSON.stringify(a), grouping: summary ? JSON.stringify(summary) : null }).execute();
      await tx.updateTable('coding_case').set({
        version, status: input.status, drg: r ? String(r.drg).padStart(3, '0') : null, weight: r?.weight ?? null, expected_payment: ev.grouping?.expectedPayment?.toFixed(2) ?? null,
        grouper_version: ev.grouping?.version ?? null, edit_count: editCount, updated_at: new Date(),
        ...(input.status === 'final' ? { finalised_at: new Date(), finalised_by: actor.username } : {}),
      }).where('encounter_id', '=', encounterId).execute();
      await this.d.audit.recordIn(tx as never, actor, { action: 'write', category: 'coding', patientId: c.patient_id, resourceType: 'CodingAbstract', resourceId: encounterId, reason: `abstract v${version} ${input.status}`, details: { drg: summary?.drg ?? null } });
    });
    return this.get(p, actor, encounterId);
  }

  /** Re-opens a final abstract; the reason is kept with the version history and audited. */
  async reopen(p: Principal, actor: Actor, encounterId: string, reason: string) {
    this.may(p, 'write');
    if (reason.trim().length < 5) throw new AppError('VALIDATION_FAILED', 'Give the reason for re-opening (at least 5 characters).');
    const c = await this.caseRow(p, actor, encounterId);
    if (c.status !== 'final') throw new AppError('ABSTRACT_NOT_FINAL', 'Only a final abstract can be re-opened.');
    const cur = await this.d.db.selectFrom('coding_abstract').selectAll().where('encounter_id', '=', encounterId).where('version', '=', c.version).executeTakeFirstOrThrow();
    await this.d.db.transaction().execute(async (tx) => {
      await tx.insertInto('coding_abstract').values({ encounter_id: encounterId, version: c.version + 1, saved_by: actor.username, status: 'in_progress', reason, abstract: JSON.stringify(cur.abstract), grouping: cur.grouping === null ? null : JSON.stringify(cur.grouping) }).execute();
      await tx.updateTable('coding_case').set({ version: c.version + 1, status: 'in_progress', finalised_at: null, finalised_by: null, updated_at: new Date() }).where('encounter_id', '=', encounterId).execute();
      await this.d.audit.recordIn(tx as never, actor, { action: 'write', category: 'coding', patientId: c.patient_id, resourceType: 'CodingAbstract', resourceId: encounterId, reason: `re-opened: ${reason.slice(0, 300)}` });
    });
    return this.get(p, actor, encounterId);
  }

  /** Documentation opportunities for CDI: regroups more specific codes and possible CC/MCC secondaries. */
  async whatIf(p: Principal, actor: Actor, encounterId: string, abstract: Abstract) {
    this.may(p, 'read');
    const c = await this.caseRow(p, actor, encounterId);
    const a = checkAbstract(abstract);
    const f = await this.facts(c);
    const ev = await this.evaluateFor(p, a, f);
    if (!ev.grouping || !ev.compiled) return { base: null, items: [] };
    const claim = groupingClaim(a, f) as ClaimInput;
    const siblings = new Map<string, string[]>();
    for (const code of [claim.pdx, ...claim.sdx.map((s) => s.code)]) {
      const parent = code.length > 3 ? code.slice(0, -1) : code;
      const v = await this.d.codes.validate(parent, 'icd10cm', f.dischargeDate).catch(() => null);
      siblings.set(code, (v?.children ?? []).map((x) => bareCode(x.code)));
    }
    const items = opportunities(ev.compiled, claim, ev.grouping.result, siblings, TARGETS).map((o) => ({
      ...o, drgTitle: ev.compiled?.drgs.get(o.drg)?.title ?? null, expectedPaymentChange: Math.round(o.weightChange * this.d.baseRate * 100) / 100,
    }));
    await this.d.audit.record(actor, { action: 'read', category: 'coding', patientId: c.patient_id, resourceType: 'CodingCase', resourceId: encounterId, reason: 'what-if' });
    return { base: { drg: ev.grouping.result.drg, weight: ev.grouping.result.weight }, items };
  }
}

/** The evaluation as the client sees it (without the compiled grouper). */
function publicView<T extends { compiled: unknown }>(ev: T): Omit<T, 'compiled'> {
  const rest: Partial<T> = { ...ev };
  delete rest.compiled;
  return rest as Omit<T, 'compiled'>;
}
