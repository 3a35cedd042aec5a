import { AdtApplier } from '../encounters/adt.js';
import type { EncounterTables } from '../encounters/schema.js';
import { EncounterService } from '../encounters/service.js';
import { PatientFeed } from '../patients/feed.js';
import { MergeService } from '../patients/merge.js';
import { PatientReferences } from '../patients/references.js';
import { ReviewService } from '../patients/review.js';
import type { PatientTables } from '../patients/schema.js';
import { PatientService } from '../patients/service.js';
import type { Platform } from '../platform/runtime.js';
import { MatchModel, nicknameVariants } from '../patients/matcher.js';
import type { Model } from '../patients/matching/index.js';

export type PatientModules = ReturnType<typeof buildPatients>;

function buildPatients(platform: Platform, model: MatchModel) {
  const db = platform.db.app.withTables<PatientTables & EncounterTables>();
  const patients = new PatientService({ db, audit: platform.audit, access: platform.access, fieldKey: platform.secrets.fieldKey, mrnFormat: platform.config.mpi.mrnFormat, nicknames: nicknameVariants });
  const references = new PatientReferences();
  const merges = new MergeService(db, patients, references, platform.access, platform.audit);
  const review = new ReviewService(db, patients, merges, platform.access, platform.audit, model);
  const feed = new PatientFeed(patients, merges);
  const encounters = new EncounterService(db, platform.access, platform.audit);
  references.register(encounters.references);
  const adt = new AdtApplier(feed, merges, platform.audit);
  return { patients, merges, review, feed, encounters, adt, references, model };
}

const built = new WeakMap<Platform, PatientModules>();

/** The patients and encounters modules wired onto one platform (built once per platform). */
export function patientsOf(platform: Platform): PatientModules {
  let m = built.get(platform);
  if (!m) {
    const db = platform.db.app.withTables<PatientTables>();
    const model = new MatchModel(async () => {
      const row = await db.selectFrom('patient_match_model').select('model').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return row ? (row.model as Model) : null;
    });
    m = buildPatients(platform, model);
    built.set(platform, m);
  }
  return m;
}
