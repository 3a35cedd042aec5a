import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import { openField, sealField } from '../platform/security/secrets.js';
import { changedFields, cleanDemographics, digits, isIsoDate, maskSsn, normName, searchColumns, type Demographics } from './demographics.js';
import { formatMrn, isValidMrn } from './mrn.js';
import type { PatientTables } from './schema.js';
import { ENTERPRISE_AUTHORITY, MRN_AUTHORITY, MrnNumbers, patientStore, type NewPatient, type PatientDb, type PatientRow } from './store.js';

export type Db = Kysely<PatientTables & PlatformTables>;
export type Tx = Transaction<PatientTables & PlatformTables>;

export interface Identifier { authority: string; value: string; type?: string | undefined }

export interface PatientView {
  id: string;
  mrn: string;
  enterpriseId: string;
  status: 'active' | 'merged';
  mergedInto: string | null;
  version: number;
  name: { family: string; given: string; middle: string; suffix: string };
  birthDate: string | null;
  sex: string;
  demographics: Demographics;
  identifiers: { authority: string; value: string; type: string }[];
  updatedAt: string;
}

export interface PatientSearch { name?: string | undefined; birthDate?: string | undefined; mrn?: string | undefined; ssn4?: string | undefined; limit?: number | undefined }

/** Pairs scored by the matcher, as the work list and registration show them. */
export interface PairScore { score: number; decision: 'match' | 'review' | 'non-match'; contributions: { field: string; level: string; weight: number }[] }
export type PatientScorer = (a: Demographics, b: Demographics) => PairScore;

/** Looks up nicknames for search (data from the matching engine's table). */
export type NicknameLookup = (given: string) => string[];

export interface PatientServiceDeps {
  db: Db;
  audit: AuditTrail;
  access: PatientAccess;
  fieldKey: Buffer;
  mrnFormat: string;
  nicknames?: NicknameLookup;
}

/** Registration, demographics with history, identifiers and search: the master patient index's use cases. */
export class PatientService {
  private readonly mrns = new MrnNumbers();

  constructor(private readonly d: PatientServiceDeps) {}

  get db(): Db {
    return this.d.db;
  }

  private audit(tx: PatientDb | null, actor: Actor, e: Parameters<AuditTrail['record']>[1]): Promise<void> {
    return tx ? this.d.audit.recordIn(tx as never, actor, e) : this.d.audit.record(actor, e);
  }

  private mayWrite(p: Principal): void {
    if (!p.permissions.can('write', 'demographics')) throw new AppError('FORBIDDEN', 'You may not register or change patients.');
  }

  private mayRead(p: Principal): void {
    if (!p.permissions.can('read', 'demographics')) throw new AppError('FORBIDDEN', 'You may not read patient demographics.');
  }

  /** The demographics of a row with the SSN opened (for survivorship and matching; never sent out as is). */
  demographicsOf(row: PatientRow): Demographics {
    return this.fromStored(row.demographics);
  }

  /** Stored demographics (a row's or a version's) with the SSN opened. */
  fromStored(json: unknown): Demographics {
    const { ssnSealed, ...d } = json as Demographics & { ssnSealed?: string | null };
    return { ...d, ssn: ssnSealed ? openField(this.d.fieldKey, ssnSealed) : null };
  }

  /** What leaves the service: the SSN masked. */
  async view(db: PatientDb, row: PatientRow): Promise<PatientView> {
    const d: Demographics & { ssnSealed?: string } = { ...(row.demographics as Demographics & { ssnSealed?: string }) };
    delete d.ssnSealed;
    return {
      id: row.id, mrn: row.mrn, enterpriseId: row.enterprise_id, status: row.status, mergedInto: row.merged_into, version: row.version,
      name: { family: row.family_name, given: row.given_name, middle: row.middle_name, suffix: row.suffix },
      birthDate: row.birth_date, sex: row.sex,
      demographics: { ...d, ssn: maskSsn(row.ssn_last4) },
      identifiers: await patientStore.identifiers(db, row.id),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** The stored form: the SSN only sealed (AES-256-GCM, key outside the database), never in plain text. */
  private stored(d: Demographics): { demographics: Demographics & { ssnSealed: string | null }; ssn_sealed: string | null } {
    const ssnSealed = d.ssn ? sealField(this.d.fieldKey, d.ssn) : null;
    return { demographics: { ...d, ssn: null, ssnSealed }, ssn_sealed: ssnSealed };
  }

  /**
   * Creates a patient in `tx` with a new MRN; shared by registration, feeds and imports. `unheld`: the caller has
   * just found that nobody holds `identifiers` (a feed's lookup), so they are not looked up again.
   */
  async createIn(tx: Tx, actor: Actor, demographics: Demographics, identifiers: Identifier[], source: string, opts: { unheld?: boolean } = {}): Promise<PatientRow> {
    let row: PatientRow | undefined;
    await this.create(tx, actor, demographics, identifiers, source, opts, async (values) => {
      row = await patientStore.insertPatient(tx, values);
    });
    return row!;
  }

  /**
   * `createIn` for feeds, which need only the new patient's id: the insert travels with the transaction's next
   * statement (`hold`) instead of waiting for its answer.
   */
  createHeldIn(tx: Tx, actor: Actor, demographics: Demographics, identifiers: Identifier[], source: string, opts: { unheld?: boolean } = {}): Promise<string> {
    return this.create(tx, actor, demographics, identifiers, source, opts, (values) => patientStore.insertHeld(tx, values));
  }

  private async create(tx: Tx, actor: Actor, demographics: Demographics, identifiers: Identifier[], source: string, opts: { unheld?: boolean },
    write: (values: NewPatient) => Promise<void>): Promise<string> {
    const d = cleanDemographics(demographics);
    const mrn = formatMrn(this.d.mrnFormat, await this.mrns.next(tx));
    const { demographics: json, ssn_sealed } = this.stored(d);
    // Both ids are chosen here (as the table's defaults would), so that the insert need not answer them.
    const values: NewPatient = { id: randomUUID(), enterprise_id: randomUUID(), mrn, ...searchColumns(d), ssn_sealed, demographics: JSON.stringify(json) };
    await write(values);
    await patientStore.insertVersion(tx, { patientId: values.id, version: 1, by: actor.username, source, reason: null, demographics: json });
    await this.addIdentifiersIn(tx, values.id, [{ authority: MRN_AUTHORITY, value: mrn, type: 'MR' }, { authority: ENTERPRISE_AUTHORITY, value: values.enterprise_id, type: 'PI' }, ...identifiers], opts);
    await this.audit(tx, actor, { action: 'write', category: 'demographics', patientId: values.id, resourceType: 'Patient', resourceId: values.id, reason: `registered (${source})` });
    return values.id;
  }

  /** Adds identifiers to a patient; one another patient holds is PATIENT_IDENTIFIER_TAKEN, one it holds already is skipped. */
  async addIdentifiersIn(tx: Tx, patientId: string, ids: Identifier[], opts: { unheld?: boolean } = {}): Promise<void> {
    const seen = new Set<string>();
    const clean = ids
      .map((i) => ({ authority: i.authority.trim().slice(0, 80), value: i.value.trim().slice(0, 80), type: (i.type ?? 'MR').slice(0, 10) }))
      .filter((i) => i.authority && i.value && !seen.has(`${i.authority}|${i.value}`) && seen.add(`${i.authority}|${i.value}`));
    const holders = opts.unheld ? [] : await patientStore.holdersOf(tx, clean);
    const taken = holders.find((h) => h.id !== patientId);
    if (taken) throw new AppError('PATIENT_IDENTIFIER_TAKEN', `The identifier ${taken.authority} ${taken.value} belongs to another patient (MRN ${taken.mrn}).`);
    const own = new Set(holders.map((h) => `${h.authority}|${h.value}`));
    await patientStore.addIdentifiers(tx, patientId, clean.filter((i) => !own.has(`${i.authority}|${i.value}`)));
  }

  /** Writes a new version of a patient's demographics (nothing is overwritten: the old one stays in the history). */
  async reviseIn(tx: Tx, actor: Actor, row: PatientRow, next: Demographics, source: string, reason: string | null): Promise<PatientRow> {
    const d = cleanDemographics(next);
    const fields = changedFields(this.demographicsOf(row), d);
    if (fields.length === 0) return row;
    const version = row.version + 1;
    const { demographics: json, ssn_sealed } = this.stored(d);
    const columns = searchColumns(d);
    // Same names: the new state is known here, and the update travels with the next statement.
    const updated = columns.family_norm === row.family_norm && columns.given_norm === row.given_norm
      ? await patientStore.revise(tx, row, { ...columns, ssn_sealed, demographics: json as never, version })
      : await patientStore.updatePatient(tx, row.id, { ...columns, ssn_sealed, demographics: JSON.stringify(json), version });
    await patientStore.insertVersion(tx, { patientId: row.id, version, by: actor.username, source, reason, demographics: json });
    await this.audit(tx, actor, { action: 'write', category: 'demographics', patientId: row.id, resourceType: 'Patient', resourceId: row.id, reason: reason ?? `updated (${source})`, details: { fields, version } });
    return updated;
  }

  async register(p: Principal, actor: Actor, input: { demographics: Demographics; identifiers?: Identifier[] | undefined }): Promise<PatientView> {
    this.mayWrite(p);
    return this.d.db.transaction().execute(async (tx) => this.view(tx, await this.createIn(tx, actor, input.demographics, input.identifiers ?? [], 'registration')));
  }

  async update(p: Principal, actor: Actor, id: string, demographics: Demographics, expectedVersion: number | undefined, reason: string | undefined): Promise<PatientView> {
    this.mayWrite(p);
    await this.d.access.require(p, actor, id, 'write', 'demographics');
    return this.d.db.transaction().execute(async (tx) => {
      const row = await this.activeRow(tx, id, true);
      if (expectedVersion !== undefined && expectedVersion !== row.version) {
        throw new AppError('PATIENT_VERSION_CONFLICT', `The patient was changed by someone else (version ${row.version}, you edited ${expectedVersion}). Reload and try again.`);
      }
      // A masked SSN sent back unchanged keeps the stored one.
      const keep = demographics.ssn && /\*/.test(demographics.ssn) ? this.demographicsOf(row).ssn : demographics.ssn;
      return this.view(tx, await this.reviseIn(tx, actor, row, { ...demographics, ssn: keep }, 'edit', reason ?? null));
    });
  }

  private async activeRow(db: PatientDb, id: string, forUpdate = false): Promise<PatientRow> {
    const row = await patientStore.byId(db, id, forUpdate);
    if (!row) throw new AppError('NOT_FOUND', 'No patient with that id.');
    return row;
  }

  async get(p: Principal, actor: Actor, id: string): Promise<PatientView> {
    this.mayRead(p);
    await this.d.access.require(p, actor, id, 'read', 'demographics');
    const row = await this.activeRow(this.d.db, id);
    await this.audit(null, actor, { action: 'read', category: 'demographics', patientId: id, resourceType: 'Patient', resourceId: id });
    return this.view(this.d.db, row);
  }

  async history(p: Principal, actor: Actor, id: string) {
    this.mayRead(p);
    await this.d.access.require(p, actor, id, 'read', 'demographics');
    const rows = await patientStore.versions(this.d.db, id);
    await this.audit(null, actor, { action: 'read', category: 'demographics', patientId: id, resourceType: 'Patient', resourceId: id, reason: 'demographics history' });
    return rows.map((r) => {
      const d = this.fromStored(r.demographics);
      return { version: r.version, recordedAt: r.recorded_at.toISOString(), recordedBy: r.recorded_by, source: r.source, reason: r.reason, demographics: { ...d, ssn: maskSsn(d.ssn?.slice(-4) ?? null) } };
    });
  }

  /** Search by name (typos, nicknames, hyphenated and swapped names), birth date, MRN or SSN last 4. */
  async search(p: Principal, actor: Actor, q: PatientSearch) {
    this.mayRead(p);
    const tokens = normName(q.name).split(' ').filter((t) => t.length > 0).slice(0, 6);
    const [first, ...rest] = (q.name ?? '').includes(',') ? normName(q.name?.split(',')[0]).split(' ') : [];
    let family: string[];
    let given: string[];
    if (first !== undefined) {
      family = [first, ...rest].filter(Boolean);
      given = normName(q.name?.split(',').slice(1).join(' ')).split(' ').filter(Boolean);
    } else {
      // "given family" as people say it; the store also tries the swap.
      family = tokens.length > 1 ? tokens.slice(1) : tokens;
      given = tokens.length > 1 ? tokens.slice(0, 1) : [];
    }
    if (q.birthDate !== undefined && q.birthDate !== '' && !isIsoDate(q.birthDate)) throw new AppError('VALIDATION_FAILED', 'birthDate must be YYYY-MM-DD.');
    if (q.ssn4 !== undefined && q.ssn4 !== '' && !/^\d{4}$/.test(q.ssn4)) throw new AppError('VALIDATION_FAILED', 'ssn4 must be the last 4 digits of the SSN.');
    const mrn = q.mrn?.trim() || null;
    if (tokens.length === 0 && !q.birthDate && !mrn && !q.ssn4) throw new AppError('VALIDATION_FAILED', 'Search needs a name, birth date, MRN or SSN last 4.');
    if (tokens.length === 0 && !mrn && q.ssn4 && !q.birthDate) throw new AppError('VALIDATION_FAILED', 'SSN last 4 alone is too broad: add a name or birth date.');
    const givenVariants = [...given, ...family].flatMap((g) => this.d.nicknames?.(g) ?? []);
    const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
    const rows = await patientStore.search(this.d.db, { family, given, givenVariants, birthDate: q.birthDate || null, mrn, ssn4: q.ssn4 || null, limit }, (col) => this.d.access.visibleTo(p, col));
    const items = rows.map((r) => ({
      id: r.id, mrn: r.mrn, name: { family: r.family_name, given: r.given_name, middle: r.middle_name, suffix: r.suffix },
      birthDate: r.birth_date, sex: r.sex, postalCode: r.postal_code, ssn: maskSsn(r.ssn_last4), rank: Math.round(Number(r.rank) * 1000) / 1000,
    }));
    await Promise.all(items.map((i) => this.audit(null, actor, { action: 'read', category: 'demographics', patientId: i.id, resourceType: 'Patient', resourceId: i.id, reason: 'search result' })));
    return { items };
  }

  /** Name, MRN, birth date and sex of a patient, for other modules' screens (the caller checks access and audits). */
  async basicsOf(id: string) {
    const r = await patientStore.byId(this.d.db, id);
    if (!r) throw new AppError('NOT_FOUND', 'No patient with that id.');
    return { id: r.id, mrn: r.mrn, family: r.family_name, given: r.given_name, birthDate: r.birth_date, sex: r.sex };
  }

  /** `basicsOf` for many patients in one query (unknown ids are left out). */
  async basicsOfMany(ids: readonly string[]): Promise<Map<string, Awaited<ReturnType<PatientService['basicsOf']>>>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, Awaited<ReturnType<PatientService['basicsOf']>>>();
    for (let i = 0; i < unique.length; i += 1000) {
      const rows = await this.d.db.selectFrom('patient').select(['id', 'mrn', 'family_name', 'given_name', 'birth_date', 'sex']).where('id', 'in', unique.slice(i, i + 1000)).execute();
      for (const r of rows) out.set(r.id, { id: r.id, mrn: r.mrn, family: r.family_name, given: r.given_name, birthDate: r.birth_date, sex: r.sex });
    }
    return out;
  }

  /** Follows merges from a patient to the one that now holds its records. */
  async survivorOf(db: PatientDb, row: PatientRow): Promise<PatientRow> {
    let cur = row;
    for (let hops = 0; cur.status === 'merged' && cur.merged_into && hops < 50; hops++) {
      const next = await patientStore.byId(db, cur.merged_into);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** The patient (after merges) holding any of these identifiers, or null. Several different patients is an error. */
  async resolveIn(tx: Tx, ids: Identifier[]): Promise<{ row: PatientRow; via: PatientRow; unknown: Identifier[] } | null> {
    const found = new Map<string, { row: PatientRow; via: PatientRow; unknown: Identifier[] }>();
    const unknown: Identifier[] = [];
    for (const i of ids) {
      const holders = await patientStore.byIdentifier(tx, i.authority || null, i.value);
      if (holders.length === 0) unknown.push(i);
      for (const via of holders) {
        const row = await this.survivorOf(tx, via);
        if (!found.has(row.id)) found.set(row.id, { row, via, unknown });
      }
    }
    if (found.size > 1) {
      throw new AppError('PATIENT_IDENTIFIERS_CONFLICT', `The identifiers name ${found.size} different patients (MRNs ${[...found.values()].map((f) => f.row.mrn).join(', ')}).`);
    }
    return [...found.values()][0] ?? null;
  }

  validMrn(mrn: string): boolean {
    return isValidMrn(this.d.mrnFormat, mrn);
  }

  /** Digits of a phone as search keeps them (for callers that build probes). */
  static phoneKey(s: string | undefined): string {
    return digits(s).slice(-10);
  }
}
