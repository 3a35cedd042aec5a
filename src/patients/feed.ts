import type { Actor } from '../platform/audit/event.js';
import type { Read } from '../platform/db/pipeline.js';
import { AppError } from '../platform/errors/app-error.js';
import type { Demographics } from './demographics.js';
import type { MergeService } from './merge.js';
import type { Identifier, PatientService, Tx } from './service.js';
import { patientStore, type PatientRow } from './store.js';

export interface FeedResult {
  patientId: string;
  created: boolean;
  /** Set when the identifiers led to a merged patient: records made now belong to that one (for unmerge). */
  arrivedFor: string | null;
}

/**
 * The patient side of interfaces (HL7 ADT, FHIR import): find a patient by identifiers, create or revise it,
 * merge on request. Runs inside the caller's transaction, so a message is applied whole or not at all.
 */
export class PatientFeed {
  constructor(
    private readonly patients: PatientService,
    private readonly merges: MergeService,
  ) {}

  /** Finds the patient by its identifiers (following merges), updating demographics when they differ, or creates it. */
  async upsertIn(tx: Tx, actor: Actor, ids: Identifier[], demographics: Demographics | null, source: string): Promise<FeedResult> {
    if (ids.length === 0) throw new AppError('PATIENT_IDENTIFIER_MISSING', 'The message names no patient identifier.');
    const found = await this.patients.resolveIn(tx, ids);
    if (!found) {
      if (!demographics) throw new AppError('PATIENT_NOT_FOUND', 'No patient with these identifiers.');
      return { patientId: await this.patients.createHeldIn(tx, actor, demographics, ids, source, { unheld: true }), created: true, arrivedFor: null };
    }
    const row = found.row;
    const arrivedFor = found.via.id !== row.id ? found.via.id : null;
    // Only identifiers not seen before are added (the others were just found on this patient).
    if (arrivedFor === null && found.unknown.length > 0) await this.patients.addIdentifiersIn(tx, row.id, found.unknown, { unheld: true });
    if (demographics && arrivedFor === null) await this.patients.reviseIn(tx, actor, await this.locked(tx, row), keepUnsent(this.patients.demographicsOf(row), demographics), source, null);
    return { patientId: row.id, created: false, arrivedFor };
  }

  /** HL7 A40 / FHIR link: the patient named by `prior` is merged into the one named by `survivor`. */
  async mergeIn(tx: Tx, actor: Actor, survivor: Identifier[], prior: Identifier[], demographics: Demographics | null, source: string) {
    const from = await this.patients.resolveIn(tx, prior);
    if (!from) throw new AppError('PATIENT_NOT_FOUND', 'The prior patient of the merge (MRG-1) is not known.');
    // Identifiers the sender lists for the survivor but the prior patient holds (a national number, say) move
    // with the merge; the survivor is found by the others.
    const own: Identifier[] = [];
    for (const i of survivor) {
      const holder = await this.patients.resolveIn(tx, [i]);
      if (holder?.row.id !== from.row.id) own.push(i);
    }
    if (own.length === 0) return { patientId: from.row.id, mergeId: null };
    const into = await this.upsertIn(tx, actor, own, demographics, source);
    if (from.row.id === into.patientId) return { patientId: into.patientId, mergeId: null };
    const m = await this.merges.mergeIn(tx, actor, into.patientId, from.row.id, `${source}: merge`);
    return { patientId: into.patientId, mergeId: m.id };
  }

  /**
   * A read ahead (for the caller's pipeline), in one statement and locked, of the patients that `upsertIn` will look
   * up for these identifier lists (one list per patient: the events of one batch).
   */
  prefetchIn(tx: Tx, groups: readonly Identifier[][]): Read | null {
    return patientStore.prefetchIdentifiers(tx, groups);
  }

  private async locked(tx: Tx, row: PatientRow): Promise<PatientRow> {
    if (patientStore.isLocked(row)) return row;
    return (await tx.selectFrom('patient').selectAll().where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow());
  }
}

/** A feed that leaves a field out does not erase it: only what was sent replaces what is kept. */
function keepUnsent(current: Demographics, sent: Demographics): Demographics {
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(sent)) {
    const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (k === 'sex' && v === 'U');
    if (!empty) out[k] = v;
  }
  return out as unknown as Demographics;
}
