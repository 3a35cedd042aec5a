// The encoder on the real FY2026 ICD-10-CM and ICD-10-PCS order files (../shared/refdata beside the
// repository; skipped where it is absent). Titles and the shipped vocabulary only: the XML years are the
// benchmark's business (bench/encoder.mts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOrderFile } from '../releases/order-file.js';
import { collectSources } from '../sources/files.js';
import { buildEncoderIndex, search, type EncoderIndex } from './index.js';
import { loadEncoderVocabulary } from './load.js';

const REFDATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/refdata');
const CM_ZIP = path.join(REFDATA, 'icd10cm/fy2026/2026-code-descriptions-tabular-order.zip');
const PCS_ZIP = path.join(REFDATA, 'icd10pcs/fy2026/2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip');

describe.skipIf(!fs.existsSync(CM_ZIP) || !fs.existsSync(PCS_ZIP))('encoder on the FY2026 order files', () => {
  let cm: EncoderIndex;
  let pcs: EncoderIndex;

  beforeAll(async () => {
    const sources = await collectSources([CM_ZIP, PCS_ZIP]);
    try {
      const read = async (name: string): Promise<string> => (await sources.files.find((f) => f.name === name)!.read()).toString('latin1');
      const vocabulary = loadEncoderVocabulary();
      cm = buildEncoderIndex({ system: 'icd10cm', codes: parseOrderFile(await read('icd10cm_order_2026.txt'), 'cm', 'icd10cm'), ...vocabulary });
      pcs = buildEncoderIndex({ system: 'icd10pcs', codes: parseOrderFile(await read('icd10pcs_order_2026.txt'), 'pcs', 'icd10pcs'), ...vocabulary });
    } finally {
      sources.close();
    }
  }, 60_000);

  const top = (index: EncoderIndex, q: string, k: number): string[] => search(index, q, { limit: k }).map((h) => h.code);

  it('indexes every code and header of both releases', () => {
    expect(cm.n).toBe(98_186);
    expect(pcs.n).toBe(80_029);
  });

  it('finds codes and prefixes', () => {
    expect(top(cm, 'F43.10', 1)).toEqual(['F4310']);
    expect(top(cm, 'f4310', 1)).toEqual(['F4310']);
    expect(top(cm, 'E11.', 5)).toEqual(expect.arrayContaining(['E119']));
    expect(top(pcs, '0dtj4zz', 1)).toEqual(['0DTJ4ZZ']);
  });

  it('finds what coders and clinicians type', () => {
    expect(top(cm, 'PTSD', 1)).toEqual(['F4310']);
    expect(top(cm, 'asthma', 1)).toEqual(['J45909']);
    expect(top(cm, 'migrane', 3)).toContain('G43909');
    expect(top(cm, 'heart attack', 5)).toContain('I219');
    expect(top(cm, 'type 2 diabetes with diabetic chronic kidney disease', 1)).toEqual(['E1122']);
    expect(top(cm, 'acute cystitis without hematuria', 1)).toEqual(['N3000']);
    expect(top(cm, 's/p right BKA', 1)).toEqual(['Z89511']);
    expect(top(pcs, 'tonsillectomy', 5)).toContain('0CTPXZZ');
    expect(top(pcs, 'lap chole', 1)).toEqual(['0FT44ZZ']);
    expect(top(pcs, 'colonoscopy', 1)).toEqual(['0DJD8ZZ']);
  });
});
