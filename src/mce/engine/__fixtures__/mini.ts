/**
 * Hand-made MCE tables for unit tests: a few codes per edit, in the format of `../shared/refdata/mce/<v>/`.
 * Synthetic: the flags are put on codes to exercise each rule, including the rules no FY2025/26 row triggers.
 */
import { parseFolder, type FolderText } from '../parse.js';
import type { MceTables, WindowTables } from '../model.js';

// CMS's edit enum order, with edit type and the ICD-10 counter flag (P = prepayment, Q = postpayment, - = none).
const EDITS = `INVALID_CODE B P Y|SEX_CONFLICT B P Y|AGE_CONFLICT D P Y|QUESTIONABLE_ADMISSION D P Y|MANIFESTATION_AS_PDX D P Y|
NONSPECIFIC_PDX D Q Y|E_CODE_AS_PDX D P Y|UNACCEPTABLE_PDX D P Y|DUPLICATE_OF_PDX D P Y|MEDICARE_IS_SECONDARY_PAYER D Q Y|
REQUIRES_SDX D P Y|NONSPECIFIC_OR P Q Y|OPEN_BIOPSY P Q Y|NON_COVERED P P Y|BILATERAL P Q Y|LIMITED_COVERAGE_LVRS P P N|
LIMITED_COVERAGE P P Y|LIMITED_COVERAGE_LUNG_TRANSPLANT P P N|QUESTIONABLE_OBSTETRIC_ADMISSION P P Y|
LIMITED_COVERAGE_COMBINATION_HEART_LUNG_TRANSPLANT P P Y|LIMITED_COVERAGE_HEART_TRANSPLANT P P Y|LIMITED_COVERAGE_HEART_IMPLANT P P Y|
LIMITED_COVERAGE_INTESTINE_MULTI_VISCERAL_TRANSPLANT P P Y|LIMITED_COVERAGE_LIVER_TRANSPLANT P P Y|INVALID_ADMIT_DX N - Y|
INVALID_AGE N P Y|INVALID_SEX N P Y|INVALID_DISCHARGE_STATUS N P Y|LIMITED_COVERAGE_KIDNEY_TRANSPLANT P P Y|
LIMITED_COVERAGE_PANCREAS_TRANSPLANT P P Y|TYPE_OF_AGE_CONFLICT D - N|INVALID_POA D - Y|LIMITED_COVERAGE_ARTIFICIAL_HEART P P Y|
WRONG_PROCEDURE_PERFORMED D P Y|INCONSISTENT_WITH_LENGTH_OF_STAY P P Y|UNSPECIFIED D P Y`;

const TYPE = { B: 'BOTH', D: 'DIAGNOSIS', P: 'PROCEDURE', N: 'NONE' } as const;
const PAY = { P: 'PREPAYMENT', Q: 'POSTPAYMENT', '-': 'NONE' } as const;

export const EDITS_TSV = ['ordinal\tedit\tcode_type\tedit_type\ticd10_counter']
  .concat(EDITS.split('|').map((row, i) => {
    const [name, t, p, c] = row.trim().split(' ') as [string, keyof typeof TYPE, keyof typeof PAY, string];
    return `${i}\t${name}\t${TYPE[t]}\t${PAY[p]}\t${c}`;
  }))
  .join('\n') + '\n';

const DX_FLAGS = ['newborn', 'pediatric', 'maternity', 'adult', 'ecodepdx', 'manifestation', 'unacceptable', 'reqsdx', 'qadm', 'wrngproc', 'msp', 'unspecified', 'mdc08', 'delout', 'diabtypeI', 'clintrial', 'ncov4', 'ncov5', 'cc'];
const BOTH_FLAGS = ['male', 'female', 'nonspecific', 'ncov6', 'ncov7', 'ncov_z302'];
const PX_FLAGS = ['or_indic', 'biopsy', 'los', 'noncovered', 'ncov45', 'kidneyxp', 'lcov_artheartxpa', 'lcov_artheartxpb', 'lcov_artheartxp', 'ncov12agele60', 'lcov', 'bilateral', 'csect', 'vagdel', 'lcov_liverxp', 'lcov_lvrs'];

export const FLAGS_TSV = ['flag\tattribute\tcode_type\tdiagnosis_rows\tprocedure_rows']
  .concat(DX_FLAGS.map((f) => `${f}\t${f.toUpperCase()}\tDIAGNOSIS\t0\t0`))
  .concat(BOTH_FLAGS.map((f) => `${f}\t${f.toUpperCase()}\tBOTH\t0\t0`))
  .concat(PX_FLAGS.map((f) => `${f}\t${f.toUpperCase()}\tPROCEDURE\t0\t0`))
  .join('\n') + '\n';

/** `code flags…` per line; age group and sex columns are derived from the flags. */
const DIAGNOSES = `
A000
A001 -20241231
I10
B000 ecodepdx
B001 manifestation
B002 unacceptable
Z5189 unacceptable,reqsdx
B003 nonspecific
B004 qadm
P000 newborn
P001 pediatric
O000 maternity
O001 maternity,unspecified
C000 adult
N400 male
N401 female
Y6551 wrngproc
B005 msp
R69 unspecified
M000 mdc08
Z370 delout
E100 diabtypeI
Z006 clintrial
D000 ncov6
D001 ncov7
Z302 ncov_z302
E101 ncov4
E102 ncov5
B006 cc
`;

const PROCEDURES = `
0000000
0000001 noncovered
0FYG0Z0 ncov45
0TY00Z0 kidneyxp
0SR20JZ ncov12agele60
0000002 lcov
0000003 ncov6
0000004 ncov7
0000005 ncov_z302
10D00Z0 csect
10E0XZZ vagdel
5A1955Z los
0000006 male
0000007 nonspecific
0000008 or_indic
0000009 or_indic,nonspecific
000000A biopsy
000000B bilateral
000000C bilateral
000000D lcov_artheartxpa
000000E lcov_artheartxpb
000000F lcov_artheartxp
000000G lcov_liverxp
000000H lcov_lvrs
000000J noncovered,csect
000000K -20250101
`;

function master(rows: string, kind: 'diagnosis' | 'procedure', start: string, end: string): string {
  const header = kind === 'diagnosis' ? 'code\tstart_date\tend_date\tage_group\tsex\tflags' : 'code\tstart_date\tend_date\tsex\tflags';
  const lines = rows.trim().split('\n').map((l) => {
    const [code, ...rest] = l.trim().split(' ');
    let rowEnd = end;
    let flags = '';
    for (const r of rest) {
      if (r.startsWith('-')) rowEnd = r.slice(1);
      else flags = r;
    }
    const list = flags === '' ? [] : flags.split(',');
    const age = list.find((f) => ['newborn', 'pediatric', 'maternity', 'adult'].includes(f)) ?? '';
    const sex = list.includes('male') ? 'M' : list.includes('female') ? 'F' : '';
    return kind === 'diagnosis' ? `${code}\t${start}\t${rowEnd}\t${age}\t${sex}\t${flags}` : `${code}\t${start}\t${rowEnd}\t${sex}\t${flags}`;
  });
  return [header, ...lines].join('\n') + '\n';
}

const STATUSES = ['01', '02', '03', '06', '07', '20', '30'];

/** The text of a fixture version folder covering one window. */
export function miniFolder(version: string, windowStart: string, windowEnd: string, termination = '20260930', rowStart = '20151001'): FolderText {
  return {
    folder: version,
    diagnoses: master(DIAGNOSES, 'diagnosis', rowStart, termination),
    procedures: master(PROCEDURES, 'procedure', rowStart, termination),
    ageRanges: 'age_group\tstart_age\tend_age\tstart_date\tend_date\nadult\t15\t124\t19840301\t' + termination + '\nmaternity\t9\t64\t20191001\t' + termination + '\nnewborn\t0\t0\t19840301\t' + termination + '\npediatric\t0\t17\t19840301\t' + termination + '\n',
    dischargeStatus: ['code\tstart_date\tend_date', ...STATUSES.map((s) => `${s}\t19801001\t${termination}`)].join('\n') + '\n',
    flags: FLAGS_TSV,
    edits: EDITS_TSV,
    meta: `key\tvalue\nversion\t${version}\nwindow_start\t${windowStart}\nwindow_end\t${windowEnd}\nmce_termination_date\t${termination}\n`,
  };
}

/** Two fixture windows: FY2024 April (sex edits apply) and FY2025 onwards. */
export function miniTables(): MceTables {
  const windows: WindowTables[] = [
    parseFolder(miniFolder('v41.1', '20240401', '20240930')),
    parseFolder(miniFolder('v42.0', '20241001', '20260930')),
  ];
  return { windows };
}
