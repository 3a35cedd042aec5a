import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './server-process.js';

export const CORPUS = path.resolve(REPO, '..', 'shared', 'corpora', 'hl7v2');

export interface CorpusRow { file: string; code: string; trigger: string }

/** The HL7 v2 corpus in its README's order: independent files first, then each emap sequence in its stated order. */
export function corpusInOrder(): CorpusRow[] {
  const rows = fs.readFileSync(path.join(CORPUS, 'index.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const [file = '', code = '', trigger = ''] = l.split(',');
    return { file, code, trigger };
  });
  const seq = (prefix: string) => rows.filter((r) => r.file.startsWith(prefix)).sort((a, b) => a.file.localeCompare(b.file));
  const double = ['FirstA01', 'SecondA01', 'A03', 'A13', 'A08'].map((n) => rows.find((r) => r.file === `uclh-emap/DoubleA01WithA13/${n}.hl7`)!);
  const sequences = ['uclh-emap/Location/Moves/', 'uclh-emap/Location/CancelAdmit/', 'uclh-emap/Location/CancelTransfer/', 'uclh-emap/Location/CancelDischarge/', 'uclh-emap/Location/DuplicateSimple/'];
  const independent = rows.filter((r) => !r.file.startsWith('uclh-emap/Location/') && !r.file.startsWith('uclh-emap/DoubleA01WithA13/'));
  return [...independent, ...sequences.flatMap(seq), ...double];
}
