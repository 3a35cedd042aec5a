/**
 * The flags the MCE's rules read, as bits. Diagnosis and procedure flags have their own bit sets, so a row's
 * flags become one integer and a rule is a mask test. Flags in the data that no rule reads (e.g. `cc`, `bmi`)
 * keep no bit; they stay in the row's flag list.
 */

const DX_FLAG_NAMES = [
  'newborn', 'pediatric', 'maternity', 'adult', 'ecodepdx', 'manifestation', 'unacceptable', 'reqsdx',
  'nonspecific', 'qadm', 'male', 'female', 'wrngproc', 'msp', 'unspecified', 'mdc08', 'delout', 'diabtypeI',
  'clintrial', 'ncov6', 'ncov7', 'ncov_z302', 'ncov4', 'ncov5',
] as const;

const PX_FLAG_NAMES = [
  'male', 'female', 'nonspecific', 'or_indic', 'biopsy', 'los', 'noncovered', 'ncov45', 'kidneyxp',
  'lcov_artheartxpa', 'lcov_artheartxpb', 'lcov_artheartxp', 'ncov6', 'ncov7', 'ncov_z302', 'ncov12agele60',
  'lcov', 'bilateral', 'csect', 'vagdel', 'lcov_lvrs', 'lcov_lungxp', 'lcov_heartlungxp', 'lcov_heartxp',
  'lcov_heartsys', 'lcov_intxp', 'lcov_liverxp', 'lcov_kidneyxp', 'lcov_pancreasxp',
] as const;

type DxFlag = (typeof DX_FLAG_NAMES)[number];
type PxFlag = (typeof PX_FLAG_NAMES)[number];

function bits<T extends string>(names: readonly T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  names.forEach((n, i) => (out[n] = 1 << i));
  return out;
}

/** Bit of each diagnosis flag a rule reads. */
export const DX: Readonly<Record<DxFlag, number>> = bits(DX_FLAG_NAMES);
/** Bit of each procedure flag a rule reads. */
export const PX: Readonly<Record<PxFlag, number>> = bits(PX_FLAG_NAMES);

const DX_BIT = new Map<string, number>(Object.entries(DX));
const PX_BIT = new Map<string, number>(Object.entries(PX));

/** The bit set of a row's flags for its code type. */
export function maskOf(flags: readonly string[], kind: 'diagnosis' | 'procedure'): number {
  const table = kind === 'diagnosis' ? DX_BIT : PX_BIT;
  let mask = 0;
  for (const f of flags) mask |= table.get(f) ?? 0;
  return mask;
}

/** Age flags in the order CMS checks them (reverse alphabetical); the first conflict names the type. */
export const AGE_FLAGS = [
  { bit: DX.pediatric, group: 'pediatric', type: 'PEDIATRIC' },
  { bit: DX.newborn, group: 'newborn', type: 'NEWBORN' },
  { bit: DX.maternity, group: 'maternity', type: 'MATERNITY' },
  { bit: DX.adult, group: 'adult', type: 'ADULT' },
] as const;

/** ICD-9-era limited-coverage flags and the edit each raises (no ICD-10 row carries them). */
export const LCOV_VARIANTS = [
  { bit: PX.lcov_lvrs, edit: 'LIMITED_COVERAGE_LVRS' },
  { bit: PX.lcov_lungxp, edit: 'LIMITED_COVERAGE_LUNG_TRANSPLANT' },
  { bit: PX.lcov_heartlungxp, edit: 'LIMITED_COVERAGE_COMBINATION_HEART_LUNG_TRANSPLANT' },
  { bit: PX.lcov_heartxp, edit: 'LIMITED_COVERAGE_HEART_TRANSPLANT' },
  { bit: PX.lcov_heartsys, edit: 'LIMITED_COVERAGE_HEART_IMPLANT' },
  { bit: PX.lcov_intxp, edit: 'LIMITED_COVERAGE_INTESTINE_MULTI_VISCERAL_TRANSPLANT' },
  { bit: PX.lcov_liverxp, edit: 'LIMITED_COVERAGE_LIVER_TRANSPLANT' },
  { bit: PX.lcov_kidneyxp, edit: 'LIMITED_COVERAGE_KIDNEY_TRANSPLANT' },
  { bit: PX.lcov_pancreasxp, edit: 'LIMITED_COVERAGE_PANCREAS_TRANSPLANT' },
  { bit: PX.lcov_artheartxp, edit: 'LIMITED_COVERAGE_ARTIFICIAL_HEART' },
] as const;
