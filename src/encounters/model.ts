import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Encounter vocabulary: classes, statuses, UB-04 discharge dispositions. Pure. */
export const ENCOUNTER_CLASSES = ['inpatient', 'observation', 'emergency', 'outpatient', 'recurring', 'preadmit', 'obstetrics'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];

/** PV1-2 patient class → Chartroom's class (HL7 table 0004; "OBS"/"V" as sites send observation). */
export function classFromHl7(code: string | null): EncounterClass {
  switch ((code ?? '').toUpperCase()) {
    case 'I': return 'inpatient';
    case 'E': return 'emergency';
    case 'R': return 'recurring';
    case 'P': return 'preadmit';
    case 'B': return 'obstetrics';
    case 'OBS':
    case 'V': return 'observation';
    default: return 'outpatient';
  }
}

/** UB-04 FL 17 patient discharge status codes (NUBC), as coders and billers read them. */
const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'discharge-dispositions.tsv');

/** UB-04 FL 17 patient discharge status codes (NUBC), read from data/discharge-dispositions.tsv. */
export const DISCHARGE_DISPOSITIONS: Readonly<Record<string, string>> = Object.fromEntries(
  fs.readFileSync(DATA, 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('code\t')).map((l) => l.split('\t') as [string, string]),
);

/** A disposition as sent (1 or 2 digits) in UB-04's two-digit form, or null. */
export function dispositionCode(raw: string | null): string | null {
  if (!raw) return null;
  const t = raw.trim();
  return /^\d{1,2}$/.test(t) ? t.padStart(2, '0') : t.slice(0, 10);
}
