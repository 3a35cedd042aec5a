import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimColumns, parseClaimLine } from './claims-tsv.js';
import { compileDefinitions, group, parseDefinitions } from './engine/index.js';
import { asTextMap, readVersionFolder } from './folder.js';
import { hacUseCell, pad2, pad3, procUseCell, sdxUseCell } from './result-tsv.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(repo, '..', 'shared');
const VERSIONS = ['v42.0', 'v42.1', 'v43.0', 'v43.1'];

// CMS's Java grouper's answers for 20,000 claims per version: drg, mdc and return_code must match on every claim.
describe.each(VERSIONS)('MS-DRG corpus %s', (version) => {
  const folder = path.join(shared, 'refdata', 'msdrg', version);
  const corpus = path.join(shared, 'corpora', 'msdrg', `claims-${version}.tsv`);
  it.skipIf(!existsSync(folder) || !existsSync(corpus))('reproduces drg, mdc and return_code of every claim', async () => {
    const compiled = compileDefinitions(parseDefinitions(asTextMap(await readVersionFolder(folder))));
    const lines = readFileSync(corpus, 'utf8').split('\n').filter((l) => l !== '');
    const header = (lines[0] ?? '').split('\t');
    const cols = claimColumns(lines[0] ?? '');
    const at = (name: string): number => header.indexOf(name);
    const mismatches: string[] = [];
    const other = { sdx_use: 0, initial_drg: 0, hac_use: 0, proc_use: 0 };
    for (let i = 1; i < lines.length; i++) {
      const text = lines[i] ?? '';
      const parsed = parseClaimLine(cols, text, i + 1);
      if (!parsed.ok) throw new Error(`line ${i + 1}: ${parsed.message}`);
      const cells = text.split('\t');
      const r = group(compiled, parsed.value.claim, { trace: false });
      const expected = `${cells[at('drg')]} ${cells[at('mdc')]} ${cells[at('return_code')]}`;
      const actual = `${pad3(r.drg)} ${pad2(r.mdc)} ${r.returnCode}`;
      if (expected !== actual) mismatches.push(`${parsed.value.id}: expected ${expected}, got ${actual}`);
      if (cells[at('sdx_use')] === sdxUseCell(r)) other.sdx_use++;
      if (cells[at('initial_drg')] === pad3(r.initial.drg)) other.initial_drg++;
      if (cells[at('hac_use')] === hacUseCell(r)) other.hac_use++;
      if (cells[at('proc_use')] === procUseCell(r)) other.proc_use++;
    }
    const n = lines.length - 1;
    const rate = (k: number): string => `${((100 * k) / n).toFixed(2)}%`;
    console.log(
      `${version}: ${n - mismatches.length}/${n} drg+mdc+return_code; sdx_use ${rate(other.sdx_use)}, initial_drg ${rate(other.initial_drg)}, ` +
        `hac_use ${rate(other.hac_use)}, proc_use ${rate(other.proc_use)}`,
    );
    if (mismatches.length > 0) console.log(`${mismatches.length} mismatches, first 20:\n${mismatches.slice(0, 20).join('\n')}`);
    expect(n).toBe(20000);
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 120_000);
});
