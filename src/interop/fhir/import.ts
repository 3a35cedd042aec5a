import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { EncounterService } from '../../encounters/service.js';
import type { PatientFeed } from '../../patients/feed.js';
import type { ReviewService } from '../../patients/review.js';
import type { PatientService, Tx } from '../../patients/service.js';
import type { Actor } from '../../platform/audit/event.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { encounterOf, patientDemographics, patientIdentifiers, practitionerOf } from './mapping.js';

type Json = Record<string, unknown>;

export interface FhirImportReport {
  files: number;
  bundles: number;
  patients: { created: number; identified: number; matched: number; review: number };
  encounters: { created: number; updated: number };
  providers: number;
  failed: { file: string; code: string; message: string }[];
}

export interface FhirImportDeps {
  db: Kysely<never>;
  patients: PatientService;
  feed: PatientFeed;
  review: ReviewService;
  encounters: EncounterService;
}

const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** Every .json file under the paths given (folders searched recursively), sorted for a stable order. */
export function bundleFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new AppError('FHIR_IMPORT_FAILED', `No such file or folder: ${p}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (p.endsWith('.json')) out.push(p);
  };
  for (const p of paths) walk(path.resolve(p));
  return out;
}

/**
 * Imports FHIR R4 Bundles (transaction, batch, collection or searchset): Practitioners become providers
 * (de-duplicated by NPI); each Patient is matched against the MPI — by identifier, then by the matcher (an
 * automatic-link score joins the existing patient, a review score creates the patient and puts the pair on the
 * duplicate work list) — and its Encounters are recorded. One bundle is one transaction: a bad bundle is reported
 * and leaves nothing behind, the others go on.
 */
export async function importFhir(deps: FhirImportDeps, actor: Actor, paths: string[], progress: (done: number, total: number) => void): Promise<FhirImportReport> {
  const files = bundleFiles(paths);
  if (files.length === 0) throw new AppError('FHIR_IMPORT_FAILED', 'No .json files found in the paths given.');
  const report: FhirImportReport = { files: files.length, bundles: 0, patients: { created: 0, identified: 0, matched: 0, review: 0 }, encounters: { created: 0, updated: 0 }, providers: 0, failed: [] };
  let done = 0;
  for (const file of files) {
    try {
      const bundle = readBundle(file);
      await (deps.db as unknown as Kysely<object>).transaction().execute((tx) => importBundle(deps, tx as unknown as Tx, actor, bundle, report));
      report.bundles++;
    } catch (err) {
      report.failed.push({ file, code: isAppError(err) ? err.code : 'FHIR_BUNDLE_INVALID', message: isAppError(err) ? err.message : 'The bundle could not be applied.' });
    }
    progress(++done, files.length);
  }
  return report;
}

function readBundle(file: string): Json {
  const size = fs.statSync(file).size;
  if (size > MAX_FILE_BYTES) throw new AppError('FHIR_BUNDLE_INVALID', `${path.basename(file)} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new AppError('FHIR_BUNDLE_INVALID', `${path.basename(file)} is not valid JSON.`);
  }
  const b = json as Json;
  if (!b || typeof b !== 'object' || b.resourceType !== 'Bundle' || !Array.isArray(b.entry)) {
    throw new AppError('FHIR_BUNDLE_INVALID', `${path.basename(file)} is not a FHIR Bundle with entries.`);
  }
  return b;
}

async function importBundle(deps: FhirImportDeps, tx: Tx, actor: Actor, bundle: Json, report: FhirImportReport): Promise<void> {
  const entries = (bundle.entry as Json[]).map((e) => ({ fullUrl: typeof e.fullUrl === 'string' ? e.fullUrl : null, resource: (e.resource ?? {}) as Json }));
  const byRef = new Map<string, Json>();
  for (const e of entries) {
    const r = e.resource;
    if (e.fullUrl) byRef.set(e.fullUrl, r);
    if (typeof r.resourceType === 'string' && typeof r.id === 'string') byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  const providers = new Map<string, string>();
  const providerOf = (ref: string): { key: string; value: ReturnType<typeof practitionerOf> } | null => {
    const r = byRef.get(ref);
    return r && r.resourceType === 'Practitioner' ? { key: ref, value: practitionerOf(r) } : null;
  };
  for (const e of entries) {
    if (e.resource.resourceType !== 'Practitioner') continue;
    const p = practitionerOf(e.resource);
    providers.set(e.fullUrl ?? String(e.resource.id), await deps.encounters.providerIn(tx as never, p));
    report.providers++;
  }
  const patientIds = new Map<string, string>();
  for (const e of entries) {
    if (e.resource.resourceType !== 'Patient') continue;
    const ids = patientIdentifiers(e.resource);
    const d = patientDemographics(e.resource);
    if (ids.length === 0) throw new AppError('PATIENT_IDENTIFIER_MISSING', 'A Patient has no identifier with a system.');
    let patientId: string;
    const known = await deps.patients.resolveIn(tx, ids);
    if (known) {
      patientId = (await deps.feed.upsertIn(tx, actor, ids, d, 'fhir import')).patientId;
      report.patients.identified++;
    } else {
      const [best] = await deps.review.candidatesIn(tx, d, 1);
      if (best?.score.decision === 'match') {
        patientId = best.row.id;
        await deps.patients.addIdentifiersIn(tx, patientId, ids);
        report.patients.matched++;
      } else {
        const row = await deps.patients.createIn(tx, actor, d, ids, 'fhir import');
        patientId = row.id;
        report.patients.created++;
        if (best) {
          await deps.review.addIn(tx, [{ a: row.id, b: best.row.id, score: best.score }], 'fhir import');
          report.patients.review++;
        }
      }
    }
    if (e.fullUrl) patientIds.set(e.fullUrl, patientId);
    if (typeof e.resource.id === 'string') patientIds.set(`Patient/${e.resource.id}`, patientId);
  }
  for (const e of entries) {
    if (e.resource.resourceType !== 'Encounter') continue;
    const enc = encounterOf(e.resource);
    const subject = ((e.resource.subject as Json | undefined)?.reference as string | undefined) ?? '';
    const patientId = patientIds.get(subject);
    if (!enc || !patientId) throw new AppError('FHIR_BUNDLE_INVALID', 'An Encounter has no id or its subject is not a Patient of the bundle.');
    const first = enc.participantRefs[0];
    const attending = first ? providerOf(first) : null;
    const r = await deps.encounters.recordIn(tx as never, actor, patientId, {
      accountNumber: enc.id, class: enc.class, status: enc.status, admitAt: enc.admitAt ? new Date(enc.admitAt) : null, dischargeAt: enc.dischargeAt ? new Date(enc.dischargeAt) : null,
      dischargeDisposition: enc.dischargeDisposition, attending: attending?.value ?? null, source: 'fhir import',
    });
    if (r.created) report.encounters.created++;
    else report.encounters.updated++;
  }
}
