// `chartroom mpi dedupe` end to end: the built CLI on a generated household file, on FEBRL 4a+4b (linked across
// the two files, checked against the truth in the record ids), and on broken input. Needs no database.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/patients/matching/cli/command.js';
import { parseCsv } from '../../src/patients/matching/cli/csv.js';
import { generatePopulationArray } from '../../src/patients/matching/population/generate.js';
import { BIN, REPO } from '../support/server-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mpi-dedupe-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const FEBRL = path.resolve(REPO, '..', 'shared', 'corpora', 'record-linkage', 'febrl');
const FEBRL_MAP = 'rec_id=id,given_name=given_name,surname=family_name,street_number+address_1=address_line,suburb=city,postcode=postal_code,date_of_birth=birth_date,soc_sec_id=ssn';

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

function readPairs(file: string): { a: string; b: string; score: number; decision: string }[] {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  expect(rows[0]).toEqual(['id_a', 'id_b', 'score', 'decision']);
  return rows.slice(1).map(([a, b, score, decision]) => ({ a: a!, b: b!, score: Number(score), decision: decision! }));
}

function prf(pairs: { a: string; b: string; decision: string }[], same: (a: string, b: string) => boolean, truePairs: number): { precision: number; recall: number; f1: number } {
  const matches = pairs.filter((p) => p.decision === 'match');
  const tp = matches.filter((p) => same(p.a, p.b)).length;
  const precision = tp / matches.length;
  const recall = tp / truePairs;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

describe('chartroom mpi dedupe', () => {
  it('finds the duplicates of a generated household file (quoted fields, spaced header, extra columns, YYYYMMDD dates)', async () => {
    const { records, truth } = generatePopulationArray({ seed: 31, people: 1500 });
    const cols = ['id', 'given_name', 'family_name', 'birth_date', 'sex', 'address_line', 'city', 'state', 'postal_code', 'phone', 'ssn', 'email'] as const;
    const lines = [` ${cols.join(' , ')} ,favourite_colour`];
    for (const r of records) lines.push([...cols.map((c) => csvField(c === 'birth_date' ? (r[c] ?? '').replace(/-/g, '') : (r[c] ?? ''))), '"blue, green"'].join(','));
    fs.writeFileSync(path.join(dir, 'pop.csv'), lines.join('\r\n') + '\r\n');
    const r = await cli(['mpi', 'dedupe', path.join(dir, 'pop.csv'), '--out', path.join(dir, 'pop-pairs.csv')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`${records.length} records; \\d+ candidate pairs`));
    const pairs = readPairs(path.join(dir, 'pop-pairs.csv'));
    const sizes = new Map<number, number>();
    for (const p of truth.values()) sizes.set(p, (sizes.get(p) ?? 0) + 1);
    const truePairs = [...sizes.values()].reduce((t, k) => t + (k * (k - 1)) / 2, 0);
    const m = prf(pairs, (a, b) => truth.get(a) === truth.get(b), truePairs);
    expect(m.f1).toBeGreaterThan(0.95);
    expect(pairs.every((p) => p.decision === 'match' || p.decision === 'review')).toBe(true);
  }, 120_000);

  it('links FEBRL 4a and 4b across the files with F1 ≥ 0.99', async () => {
    const out = path.join(dir, 'febrl4.csv');
    const r = await cli(['mpi', 'dedupe', path.join(FEBRL, 'dataset4a.csv'), path.join(FEBRL, 'dataset4b.csv'), '--out', out, '--map', FEBRL_MAP]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/10000 records \(5000 \+ 5000, linked across the two files\)/);
    const pairs = readPairs(out);
    const entity = (id: string): string => /^rec-(\d+)-/.exec(id)![1]!;
    expect(pairs.every((p) => p.a.endsWith('-org') && p.b.includes('-dup-'))).toBe(true);
    const m = prf(pairs, (a, b) => entity(a) === entity(b), 5000);
    expect(m.f1).toBeGreaterThanOrEqual(0.99);
  }, 180_000);

  describe('bad input: a stable code, exit 2, nothing written', () => {
    const run = async (name: string, content: string | Buffer, extra: string[] = []): Promise<{ code: number; err: string; wrote: boolean }> => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      const out = path.join(dir, `${name}.pairs.csv`);
      const r = await cli(['mpi', 'dedupe', file, '--out', out, ...extra]);
      return { code: r.code, err: r.err, wrote: fs.existsSync(out) };
    };
    it('no header', async () => {
      const r = await run('noheader.csv', 'rec-1,john,smith\nrec-2,jon,smith\n');
      expect(r).toMatchObject({ code: 2, wrote: false });
      expect(r.err).toMatch(/error MPI_CSV_INVALID: .*noheader\.csv, line 1: the first line must be a header/);
    });
    it('a quote left open', async () => {
      const r = await run('open.csv', 'id,given_name\n1,"ann\n2,bo\n');
      expect(r).toMatchObject({ code: 2, wrote: false });
      expect(r.err).toMatch(/error MPI_CSV_INVALID: .*open\.csv, line 2: a quoted field is never closed/);
    });
    it('binary junk', async () => {
      const r = await run('junk.csv', Buffer.from([0x69, 0x64, 0x0a, 0xff, 0xfe, 0x00, 0x89, 0x50, 0x4e, 0x47, 0x0a]));
      expect(r).toMatchObject({ code: 2, wrote: false });
      expect(r.err).toMatch(/error MPI_CSV_INVALID: .*binary data/);
    });
    it('an unknown --map column', async () => {
      const r = await run('ok.csv', 'id,given_name\n1,ann\n', ['--map', 'surname=family_name']);
      expect(r).toMatchObject({ code: 2, wrote: false });
      expect(r.err).toMatch(/error MPI_MAP_INVALID: .*no column "surname"/);
    });
    it('a row with too many fields, and a missing file', async () => {
      const r = await run('ragged.csv', 'id,given_name\n1,ann,extra\n');
      expect(r.err).toMatch(/error MPI_CSV_INVALID: .*data row 1 .*3 fields where the header has 2/);
      const missing = await cli(['mpi', 'dedupe', path.join(dir, 'nope.csv'), '--out', path.join(dir, 'x.csv')]);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/error MPI_FILE_UNREADABLE: .*nope\.csv: cannot be read \(ENOENT\)/);
    });
  });
});
