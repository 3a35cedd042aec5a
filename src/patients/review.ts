import { sql } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import { digits, normName, type Demographics } from './demographics.js';
import type { MergeService } from './merge.js';
import { compare, dedupe, type Model, type Progress } from './matching/index.js';
import { toPersonRecord } from './matcher.js';
import type { Db, PairScore, PatientService, Tx } from './service.js';
import { patientStore } from './store.js';

export const REVIEW_DECISIONS = ['match', 'not_match', 'overlay'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface CandidatePair { a: string; b: string; score: PairScore }

/** The duplicate work list: pairs the matcher found, with the explanation, and the reviewers' decisions. */
export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientService,
    private readonly merges: MergeService,
    private readonly access: PatientAccess,
    private readonly audit: AuditTrail,
    private readonly matcher: { ready(): Promise<void>; score(a: Demographics, b: Demographics): PairScore; set(m: Model): void },
  ) {}

  /**
   * `mpi scan`: deduplicates every active patient with the matching engine (the model estimated from these
   * patients and stored), and puts the pairs on the work list with their explanation. Decided pairs stay decided.
   */
  async scan(actor: Actor, progress: Progress): Promise<{ records: number; candidatePairs: number; pairs: number; added: number }> {
    const rows = await this.db.selectFrom('patient').selectAll().where('status', '=', 'active').execute();
    const records = rows.map((r) => toPersonRecord(r.id, this.patients.demographicsOf(r)));
    const result = dedupe(records, {}, progress);
    const byId = new Map(records.map((r) => [r.id, r]));
    const model = result.stats.model;
    await this.db.insertInto('patient_match_model').values({ records: records.length, model: JSON.stringify(model) }).execute();
    this.matcher.set(model);
    let added = 0;
    for (let i = 0; i < result.pairs.length; i += 500) {
      const part = result.pairs.slice(i, i + 500).map((p) => {
        const score = compare(byId.get(p.a) as never, byId.get(p.b) as never, model);
        return { a: p.a, b: p.b, score: { ...score, decision: p.decision } };
      });
      added += await this.db.transaction().execute((tx) => this.addIn(tx, part, 'mpi scan'));
      progress('storing', Math.min(i + 500, result.pairs.length), result.pairs.length);
    }
    await this.audit.record(actor, { action: 'read', category: 'demographics', reason: 'mpi scan', details: { records: records.length, pairs: result.pairs.length } });
    return { records: records.length, candidatePairs: result.stats.candidatePairs, pairs: result.pairs.length, added };
  }

  private mayReview(p: Principal): void {
    if (!p.permissions.can('write', 'demographics')) throw new AppError('FORBIDDEN', 'You may not work the duplicate list.');
  }

  /** Stores candidate pairs; a pair already decided (e.g. "not a match") is never put back on the list. */
  async addIn(tx: Tx, pairs: CandidatePair[], foundBy: string): Promise<number> {
    let added = 0;
    for (const pair of pairs) {
      if (pair.score.decision === 'non-match' || pair.a === pair.b) continue;
      const [a, b] = [pair.a, pair.b].sort() as [string, string];
      const r = await tx.insertInto('patient_match_candidate').values({
        patient_a: a, patient_b: b, score: pair.score.score, decision_band: pair.score.decision, explanation: JSON.stringify(pair.score.contributions), found_by: foundBy,
      }).onConflict((oc) => oc.columns(['patient_a', 'patient_b']).doUpdateSet({ score: pair.score.score, decision_band: pair.score.decision as 'match' | 'review', explanation: JSON.stringify(pair.score.contributions) })
        .where('patient_match_candidate.status', '=', 'open')).executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  async list(p: Principal, actor: Actor, opts: { status?: string | undefined; limit?: number | undefined }) {
    this.mayReview(p);
    const status = opts.status ?? 'open';
    if (!['open', 'match', 'not_match', 'overlay', 'merged'].includes(status)) throw new AppError('INVALID_PARAMETER', 'status must be open, match, not_match, overlay or merged.');
    const rows = await this.db.selectFrom('patient_match_candidate').selectAll().where('status', '=', status as never)
      .where(() => this.access.visibleTo(p, sql.ref('patient_a'))).where(() => this.access.visibleTo(p, sql.ref('patient_b')))
      .orderBy('score', 'desc').orderBy('id').limit(Math.min(opts.limit ?? 100, 500)).execute();
    const items = [];
    for (const r of rows) {
      const [a, b] = await Promise.all([patientStore.byId(this.db, r.patient_a), patientStore.byId(this.db, r.patient_b)]);
      if (!a || !b) continue;
      items.push({
        id: String(r.id), score: r.score, band: r.decision_band, status: r.status, note: r.note, decidedBy: r.decided_by, decidedAt: r.decided_at?.toISOString() ?? null,
        contributions: r.explanation as PairScore['contributions'],
        a: await this.patients.view(this.db, a), b: await this.patients.view(this.db, b),
      });
    }
    await Promise.all(items.flatMap((i) => [i.a.id, i.b.id]).map((id) => this.audit.record(actor, { action: 'read', category: 'demographics', patientId: id, resourceType: 'Patient', resourceId: id, reason: 'duplicate work list' })));
    return { items };
  }

  /**
   * A reviewer's decision. "match" merges the pair at once into `survivorId` (one transaction); "not_match" is
   * remembered so that the pair never comes back; "overlay" flags one record holding two people for correction.
   */
  async decide(p: Principal, actor: Actor, id: string, input: { decision: string; note?: string | undefined; survivorId?: string | undefined }) {
    this.mayReview(p);
    if (!(REVIEW_DECISIONS as readonly string[]).includes(input.decision)) throw new AppError('VALIDATION_FAILED', 'decision must be match, not_match or overlay.');
    if (!/^\d{1,18}$/.test(id)) throw new AppError('NOT_FOUND', 'No candidate pair with that id.');
    const c = await this.db.selectFrom('patient_match_candidate').selectAll().where('id', '=', id).executeTakeFirst();
    if (!c) throw new AppError('NOT_FOUND', 'No candidate pair with that id.');
    await this.access.require(p, actor, c.patient_a, 'write', 'demographics');
    await this.access.require(p, actor, c.patient_b, 'write', 'demographics');
    if (c.status !== 'open') throw new AppError('CANDIDATE_DECIDED', `This pair was already decided (${c.status}).`);
    const decision = input.decision as ReviewDecision;
    if (decision === 'match' && input.survivorId !== c.patient_a && input.survivorId !== c.patient_b) {
      throw new AppError('VALIDATION_FAILED', 'Name the surviving patient (survivorId: one of the pair).');
    }
    return this.db.transaction().execute(async (tx) => {
      const locked = await tx.selectFrom('patient_match_candidate').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (locked.status !== 'open') throw new AppError('CANDIDATE_DECIDED', `This pair was already decided (${locked.status}).`);
      let mergeId: string | null = null;
      if (decision === 'match') {
        const survivor = input.survivorId as string;
        const merged = survivor === c.patient_a ? c.patient_b : c.patient_a;
        mergeId = (await this.merges.mergeIn(tx, actor, survivor, merged, input.note ?? 'duplicate work list')).id;
      }
      await tx.updateTable('patient_match_candidate').set({ status: decision === 'match' ? 'merged' : decision, note: input.note ?? null, decided_by: actor.username, decided_at: new Date() })
        .where('id', '=', id).execute();
      for (const pid of [c.patient_a, c.patient_b]) {
        await this.audit.recordIn(tx, actor, { action: 'write', category: 'demographics', patientId: pid, resourceType: 'PatientMatchCandidate', resourceId: id, reason: `duplicate review: ${decision}` });
      }
      return { id, status: decision === 'match' ? 'merged' : decision, mergeId };
    });
  }

  /** Patients that may be the person described, scored by the matcher, best first (non-matches left out). */
  async candidatesIn(db: Db | Tx, probe: Demographics, limit = 10) {
    const name = probe.names[0] ?? { family: '', given: '' };
    const rows = await patientStore.likely(db, {
      family: normName(name.family), given: normName(name.given), birthDate: probe.birthDate, phone: digits(probe.phones[0]?.number).slice(-10), ssn4: probe.ssn ? digits(probe.ssn).slice(-4) : null,
    }, 200);
    await this.matcher.ready();
    return rows.map((r) => ({ row: r, score: this.matcher.score(probe, this.patients.demographicsOf(r)) }))
      .filter((s) => s.score.decision !== 'non-match').sort((x, y) => y.score.score - x.score.score).slice(0, limit);
  }

  /** Scores a registration in progress against likely candidates (search-before-create), best first. */
  async likely(p: Principal, actor: Actor, probe: Demographics, limit = 10) {
    if (!p.permissions.can('read', 'demographics')) throw new AppError('FORBIDDEN', 'You may not read patient demographics.');
    const scored = await this.candidatesIn(this.db, probe, limit);
    const items = [];
    for (const s of scored) items.push({ patient: await this.patients.view(this.db, s.row), ...s.score });
    await Promise.all(items.map((i) => this.audit.record(actor, { action: 'read', category: 'demographics', patientId: i.patient.id, resourceType: 'Patient', resourceId: i.patient.id, reason: 'likely duplicate at registration' })));
    return { items };
  }
}
