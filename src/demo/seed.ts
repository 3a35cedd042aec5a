import type { Kysely } from 'kysely';
import type { EncounterService } from '../encounters/service.js';
import { isIsoDate, type Demographics } from '../patients/demographics.js';
import { generatePopulationArray } from '../patients/matching/population/generate.js';
import type { PersonRecord } from '../patients/matching/index.js';
import type { ReviewService } from '../patients/review.js';
import type { PatientService, Tx } from '../patients/service.js';
import type { Actor } from '../platform/audit/event.js';
import { AppError } from '../platform/errors/app-error.js';

export const DEMO_AUTHORITY = 'CHARTROOM-DEMO';

export interface DemoDeps {
  db: Kysely<never>;
  patients: PatientService;
  encounters: EncounterService;
  review: ReviewService;
  /** Discharge dates are drawn from this window (the loaded grouper/code-set versions), so demo DRGs are real. */
  window: { from: string; to: string };
}

const title = (s: string | null | undefined) => (s ?? '').replace(/\b[a-z]/g, (c) => c.toUpperCase());

/** The generator writes dates as a registrar might, typos included: keep those a registration would accept. */
function birthDate(raw: string | null | undefined): string | null {
  const d = (raw ?? '').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
  return isIsoDate(d) && d < new Date().toISOString().slice(0, 10) ? d : null;
}

function demographicsOf(r: PersonRecord): Demographics {
  return {
    names: [{ family: title(r.family_name), given: title(r.given_name), middle: title(r.middle_name) || undefined, suffix: title(r.suffix) || undefined, use: 'official' }],
    birthDate: birthDate(r.birth_date),
    sex: r.sex === 'M' || r.sex === 'F' ? r.sex : 'U',
    addresses: r.address_line ? [{ line1: title(r.address_line), city: title(r.city), state: (r.state ?? '').toUpperCase(), postalCode: r.postal_code ?? undefined }] : [],
    phones: r.phone ? [{ number: r.phone }] : [],
    email: r.email || null,
    // Generated SSNs could collide with real ones: demo patients carry none.
    ssn: null,
    nextOfKin: [],
    coverages: [{ payer: 'Medicare', plan: 'Part A' }],
  };
}

/** A deterministic pseudo-random sequence (mulberry32) so that one seed gives one demo. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills a fresh install with synthetic patients (households, a realistic share of near-duplicates) and their
 * encounters — discharged ones inside the loaded versions' window, some still in house — then runs the MPI scan
 * so the duplicate work list has pairs to review. Never real PHI: names, addresses and phones are generated.
 */
export async function seedDemo(deps: DemoDeps, actor: Actor, opts: { patients: number; seed: number }, progress: (step: string, done: number, total: number) => void) {
  if (!Number.isInteger(opts.patients) || opts.patients < 1 || opts.patients > 200_000) throw new AppError('VALIDATION_FAILED', '--patients is 1 to 200000.');
  const already = await deps.patients.resolveIn(deps.db as unknown as Tx, [{ authority: DEMO_AUTHORITY, value: `${opts.seed}-P1` }]);
  if (already) throw new AppError('DEMO_ALREADY_SEEDED', `Demo data of seed ${opts.seed} is already loaded; use another --seed to add more.`);
  const { records } = generatePopulationArray({ seed: opts.seed, people: Math.max(1, Math.round(opts.patients / 1.25)) });
  const list = records.slice(0, opts.patients);
  const rnd = random(opts.seed);
  const from = Date.parse(`${deps.window.from}T00:00:00Z`);
  const span = Math.max(1, Date.parse(`${deps.window.to}T00:00:00Z`) - from);
  let encounters = 0;
  for (let i = 0; i < list.length; i += 100) {
    await (deps.db as unknown as Kysely<object>).transaction().execute(async (txAny) => {
      const tx = txAny as unknown as Tx;
      for (const [k, r] of list.slice(i, i + 100).entries()) {
        const row = await deps.patients.createIn(tx, actor, demographicsOf(r), [{ authority: DEMO_AUTHORITY, value: `${opts.seed}-${r.id}-${i + k}`, type: 'MR' }], 'demo seed');
        if (i + k === 0) await deps.patients.addIdentifiersIn(tx, row.id, [{ authority: DEMO_AUTHORITY, value: `${opts.seed}-P1`, type: 'PI' }]);
        const visits = rnd() < 0.6 ? 1 : rnd() < 0.5 ? 2 : 0;
        for (let v = 0; v < visits; v++) {
          const inHouse = rnd() < 0.08;
          const discharge = new Date(from + Math.floor(rnd() * span));
          const los = 1 + Math.floor(rnd() * 6);
          const admit = new Date(discharge.getTime() - los * 86_400_000);
          const cls = rnd() < 0.55 ? 'inpatient' : rnd() < 0.5 ? 'emergency' : rnd() < 0.5 ? 'observation' : 'outpatient';
          await deps.encounters.recordIn(tx as never, actor, row.id, {
            accountNumber: `DEMO-${opts.seed}-${i + k}-${v}`, class: inHouse ? 'inpatient' : cls, status: inHouse ? 'active' : 'discharged',
            admitAt: inHouse ? new Date(Date.now() - los * 86_400_000) : admit, dischargeAt: inHouse ? null : discharge, dischargeDisposition: inHouse ? null : rnd() < 0.85 ? '01' : '06',
            attending: { npi: null, localId: `DEMO-DR-${1 + Math.floor(rnd() * 12)}`, family: 'Demo', given: `Physician ${1 + Math.floor(rnd() * 12)}` }, source: 'demo seed',
          });
          encounters++;
        }
      }
    });
    progress('patients', Math.min(i + 100, list.length), list.length);
  }
  const scan = await deps.review.scan(actor, (step, done, total) => progress(step, done, total));
  return { patients: list.length, encounters, duplicatePairs: scan.pairs };
}
