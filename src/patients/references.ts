import type { Kysely } from 'kysely';

/**
 * Records of other modules that point at a patient (encounters, documents, abstracts …). Each module registers
 * a holder once at composition; a merge moves every holder's rows in the merge's transaction, an unmerge moves
 * the listed rows back. The holder works on its own tables; the patients module never touches them.
 */
export interface PatientReferenceHolder {
  /** A stable name, stored in the merge log (e.g. "encounter"). */
  readonly name: string;
  /** Moves every row of patient `fromId` to `toId` and returns the ids of the rows moved. */
  moveAll(tx: Kysely<never>, fromId: string, toId: string): Promise<string[]>;
  /** Moves exactly these rows to patient `toId`. */
  moveRows(tx: Kysely<never>, rowIds: string[], toId: string): Promise<void>;
}

export class PatientReferences {
  private readonly holders = new Map<string, PatientReferenceHolder>();

  register(holder: PatientReferenceHolder): void {
    if (this.holders.has(holder.name)) throw new Error(`patient reference holder "${holder.name}" registered twice`);
    this.holders.set(holder.name, holder);
  }

  all(): PatientReferenceHolder[] {
    return [...this.holders.values()];
  }

  get(name: string): PatientReferenceHolder {
    const h = this.holders.get(name);
    if (!h) throw new Error(`no patient reference holder "${name}" is registered`);
    return h;
  }
}
