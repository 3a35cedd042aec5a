import type { Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import { revertMerge, survive } from './demographics.js';
import type { PatientReferences } from './references.js';
import type { Db, PatientService, Tx } from './service.js';
import { patientStore } from './store.js';

export interface MergeView {
  id: string;
  survivorId: string;
  mergedId: string;
  mergedAt: string;
  mergedBy: string | null;
  reason: string | null;
  moved: Record<string, number>;
  unmergedAt: string | null;
  unmergedBy: string | null;
  unmergeReason: string | null;
}

/**
 * Merge and unmerge. A merge moves every registered reference of the merged patient to the survivor in one
 * transaction (or nothing moves) and logs each moved row; unmerge moves exactly those rows back, plus the rows
 * that arrived for the merged patient's identifiers after the merge, and undoes what survivorship changed.
 */
export class MergeService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientService,
    private readonly references: PatientReferences,
    private readonly access: PatientAccess,
    private readonly audit: AuditTrail,
  ) {}

  private mayMerge(p: Principal): void {
    if (!p.permissions.can('write', 'demographics')) throw new AppError('FORBIDDEN', 'You may not merge patients.');
  }

  async merge(p: Principal, actor: Actor, input: { survivorId: string; mergedId: string; reason?: string | undefined }): Promise<MergeView> {
    this.mayMerge(p);
    await this.access.require(p, actor, input.survivorId, 'write', 'demographics');
    await this.access.require(p, actor, input.mergedId, 'write', 'demographics');
    return this.db.transaction().execute((tx) => this.mergeIn(tx, actor, input.survivorId, input.mergedId, input.reason ?? null));
  }

  /** The merge itself, inside a caller's transaction (also used by HL7 A40). */
  async mergeIn(tx: Tx, actor: Actor, survivorId: string, mergedId: string, reason: string | null): Promise<MergeView> {
    if (survivorId === mergedId) throw new AppError('MERGE_INVALID', 'A patient cannot be merged into itself.');
    // Lock both in id order so that two merges of the same pair cannot deadlock.
    const [a, b] = [survivorId, mergedId].sort() as [string, string];
    const rowA = await patientStore.byId(tx, a, true);
    const rowB = await patientStore.byId(tx, b, true);
    if (!rowA || !rowB) throw new AppError('NOT_FOUND', 'No patient with that id.');
    const survivor = rowA.id === survivorId ? rowA : rowB;
    const merged = rowA.id === mergedId ? rowA : rowB;
    if (survivor.status !== 'active' || merged.status !== 'active') {
      throw new AppError('MERGE_INVALID', 'Both patients must be active (one of them is already merged).');
    }
    const next = survive(this.patients.demographicsOf(survivor), this.patients.demographicsOf(merged));
    const revised = await this.patients.reviseIn(tx, actor, survivor, next, 'merge', reason ?? `merged MRN ${merged.mrn}`);
    await patientStore.updatePatient(tx, merged.id, { status: 'merged', merged_into: survivor.id });
    const m = await tx.insertInto('patient_merge').values({
      survivor_id: survivor.id, merged_id: merged.id, merged_by: actor.username, reason,
      survivor_version_before: survivor.version, survivor_version_after: revised.version, merged_version_before: merged.version,
    }).returningAll().executeTakeFirstOrThrow();
    const moved: Record<string, number> = {};
    for (const h of this.references.all()) {
      const ids = await h.moveAll(tx as unknown as Kysely<never>, merged.id, survivor.id);
      moved[h.name] = ids.length;
      if (ids.length > 0) {
        await tx.insertInto('patient_merge_move').values(ids.map((row_id) => ({ merge_id: m.id, ref_table: h.name, row_id, kind: 'moved' as const }))).execute();
      }
    }
    await tx.updateTable('patient_match_candidate').set({ status: 'merged', decided_by: actor.username, decided_at: new Date() })
      .where((eb) => eb.or([eb.and([eb('patient_a', '=', a), eb('patient_b', '=', b)])])).execute();
    for (const id of [survivor.id, merged.id]) {
      await this.audit.recordIn(tx, actor, { action: 'write', category: 'demographics', patientId: id, resourceType: 'PatientMerge', resourceId: m.id, reason: `merge: MRN ${merged.mrn} into MRN ${survivor.mrn}`, details: { moved } });
    }
    return toView(m, moved);
  }

  /** Notes a row that arrived for a merged patient's identifier after its merge, so that unmerge takes it along. */
  async noteArrivalIn(tx: Tx, mergedPatientId: string, holder: string, rowId: string): Promise<void> {
    const m = await tx.selectFrom('patient_merge').select('id').where('merged_id', '=', mergedPatientId).where('unmerged_at', 'is', null)
      .orderBy('id', 'desc').executeTakeFirst();
    if (!m) return;
    await tx.insertInto('patient_merge_move').values({ merge_id: m.id, ref_table: holder, row_id: rowId, kind: 'arrived' })
      .onConflict((oc) => oc.doNothing()).execute();
  }

  async unmerge(p: Principal, actor: Actor, mergeId: string, reason: string): Promise<MergeView> {
    this.mayMerge(p);
    if (reason.trim().length < 5) throw new AppError('VALIDATION_FAILED', 'Say why the merge is undone (at least 5 characters).');
    if (!/^\d{1,18}$/.test(mergeId)) throw new AppError('NOT_FOUND', 'No merge with that id.');
    return this.db.transaction().execute(async (tx) => {
      const m = await tx.selectFrom('patient_merge').selectAll().where('id', '=', mergeId).forUpdate().executeTakeFirst();
      if (!m) throw new AppError('NOT_FOUND', 'No merge with that id.');
      await this.access.require(p, actor, m.survivor_id, 'write', 'demographics');
      if (m.unmerged_at) throw new AppError('MERGE_INVALID', 'This merge has already been undone.');
      const [a, b] = [m.survivor_id, m.merged_id].sort() as [string, string];
      const rowA = await patientStore.byId(tx, a, true);
      const rowB = await patientStore.byId(tx, b, true);
      const survivor = rowA?.id === m.survivor_id ? rowA : rowB;
      const merged = rowA?.id === m.merged_id ? rowA : rowB;
      if (!survivor || !merged) throw new AppError('NOT_FOUND', 'No patient with that id.');
      if (survivor.status !== 'active') throw new AppError('MERGE_INVALID', 'The survivor has since been merged into another patient: undo that merge first.');
      const moves = await tx.selectFrom('patient_merge_move').selectAll().where('merge_id', '=', m.id).execute();
      const byHolder = new Map<string, string[]>();
      for (const mv of moves) byHolder.set(mv.ref_table, [...(byHolder.get(mv.ref_table) ?? []), mv.row_id]);
      const moved: Record<string, number> = {};
      for (const [name, ids] of byHolder) {
        await this.references.get(name).moveRows(tx as unknown as Kysely<never>, ids, merged.id);
        moved[name] = ids.length;
      }
      const before = this.patients.fromStored((await patientStore.version(tx, survivor.id, m.survivor_version_before)).demographics);
      const after = this.patients.fromStored((await patientStore.version(tx, survivor.id, m.survivor_version_after)).demographics);
      await this.patients.reviseIn(tx, actor, survivor, revertMerge(before, after, this.patients.demographicsOf(survivor)), 'unmerge', reason);
      await patientStore.updatePatient(tx, merged.id, { status: 'active', merged_into: null });
      const done = await tx.updateTable('patient_merge').set({ unmerged_at: new Date(), unmerged_by: actor.username, unmerge_reason: reason })
        .where('id', '=', m.id).returningAll().executeTakeFirstOrThrow();
      for (const id of [survivor.id, merged.id]) {
        await this.audit.recordIn(tx, actor, { action: 'write', category: 'demographics', patientId: id, resourceType: 'PatientMerge', resourceId: m.id, reason: `unmerge: ${reason}`, details: { moved } });
      }
      return toView(done, moved);
    });
  }

  /** Merge history of one patient (as survivor or as the merged one), or the newest merges. */
  async history(p: Principal, actor: Actor, patientId: string | undefined): Promise<MergeView[]> {
    if (!p.permissions.can('read', 'demographics')) throw new AppError('FORBIDDEN', 'You may not read patient demographics.');
    if (patientId) await this.access.require(p, actor, patientId, 'read', 'demographics');
    let q = this.db.selectFrom('patient_merge').selectAll().orderBy('id', 'desc').limit(200);
    if (patientId) q = q.where((eb) => eb.or([eb('survivor_id', '=', patientId), eb('merged_id', '=', patientId)]));
    const rows = await q.execute();
    const counts = rows.length === 0 ? [] : await this.db.selectFrom('patient_merge_move').select(['merge_id', 'ref_table']).select((eb) => eb.fn.countAll<string>().as('n'))
      .where('merge_id', 'in', rows.map((r) => r.id)).groupBy(['merge_id', 'ref_table']).execute();
    await this.audit.record(actor, { action: 'read', category: 'demographics', patientId: patientId ?? null, resourceType: 'PatientMerge', reason: 'merge history', details: { merges: rows.length } });
    return rows.map((r) => toView(r, Object.fromEntries(counts.filter((c) => c.merge_id === r.id).map((c) => [c.ref_table, Number(c.n)]))));
  }
}

function toView(m: { id: string; survivor_id: string; merged_id: string; merged_at: Date; merged_by: string | null; reason: string | null; unmerged_at: Date | null; unmerged_by: string | null; unmerge_reason: string | null }, moved: Record<string, number>): MergeView {
  return {
    id: String(m.id), survivorId: m.survivor_id, mergedId: m.merged_id, mergedAt: m.merged_at.toISOString(), mergedBy: m.merged_by, reason: m.reason, moved,
    unmergedAt: m.unmerged_at?.toISOString() ?? null, unmergedBy: m.unmerged_by, unmergeReason: m.unmerge_reason,
  };
}
