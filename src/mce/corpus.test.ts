// Agreement with CMS's own MCE: every claim of every corpus file must get CMS's edit type and edits, in order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatEdits, parseClaimLine, readHeader } from './engine/claims-tsv.js';
import { edit } from './engine/edit.js';
import type { MceTables } from './engine/model.js';
import { parseFolder } from './engine/parse.js';
import { findVersionFolders, readVersionFolder } from './folder.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = path.resolve(REPO, '..', 'shared');
const CORPUS = path.join(SHARED, 'corpora', 'mce');
const FILES = ['mce-v42.0.tsv', 'mce-v42.1.tsv', 'mce-v43.0.tsv', 'mce-v43.1.tsv'];

let tables: MceTables;

beforeAll(async () => {
  const windows = [];
  for (const dir of await findVersionFolders(path.join(SHARED, 'refdata', 'mce'))) windows.push(parseFolder((await readVersionFolder(dir)).text));
  tables = { windows };
}, 60_000);

describe('MCE corpus agreement', () => {
  it('loads the four windows', () => {
    expect(tables.windows.map((w) => w.version)).toEqual(['v42.0', 'v42.1', 'v43.0', 'v43.1']);
  });

  it.each(FILES)('%s: edit type and edits of every claim match CMS', (file) => {
    const lines = readFileSync(path.join(CORPUS, file), 'utf8').split('\n').filter((l) => l !== '');
    const header = readHeader(lines[0]!);
    if (!('columns' in header)) throw new Error(`missing columns ${header.missing.join(', ')}`);
    const at = header.columns.index;
    const mismatches: string[] = [];
    let claims = 0;
    for (let i = 1; i < lines.length; i++) {
      const cells = lines[i]!.split('\t');
      const want = `${cells[at.edit_type!]} ${cells[at.edits!]}`;
      const parsed = parseClaimLine(lines[i]!, header.columns);
      claims++;
      let got: string;
      if (!parsed.ok) got = `unreadable: ${parsed.problem}`;
      else {
        const out = edit(tables, parsed.claim);
        got = out.kind === 'edited' ? `${out.editType} ${formatEdits(out.edits)}` : `tables missing for ${out.dischargeDate}`;
      }
      if (got !== want) mismatches.push(`line ${i + 1} ${cells[0]} (${cells[at.scenario!]})\n  CMS:        ${want}\n  Chartroom:  ${got}`);
    }
    expect(claims).toBe(25_000);
    expect(mismatches.length, `${mismatches.length} of ${claims} claims differ; first 20:\n${mismatches.slice(0, 20).join('\n')}`).toBe(0);
  });
});
