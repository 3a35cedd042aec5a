// Data sets of `npm run bench:mpi`: the public record-linkage corpora in ../shared (read in place) and the
// synthetic household populations. Each set gives records (one or two files) and the truth: record id → entity.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMap } from '../src/patients/matching/cli/mapping.js';
import { readRecords } from '../src/patients/matching/cli/read.js';
import { parseCsv } from '../src/patients/matching/cli/csv.js';
import type { PersonRecord } from '../src/patients/matching/types.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPORA = path.resolve(REPO, '..', 'shared', 'corpora', 'record-linkage');

export const FEBRL_MAP = 'rec_id=id,given_name=given_name,surname=family_name,street_number+address_1=address_line,suburb=city,postcode=postal_code,date_of_birth=birth_date,soc_sec_id=ssn';
export const FAKE_MAP = 'unique_id=id,first_name=given_name,surname=family_name,dob=birth_date';
export const HISTORICAL_MAP = 'unique_id=id,first_name=given_name,surname=family_name,dob=birth_date,birth_place=city,postcode_fake=postal_code,gender=sex';

export interface DataSet {
  name: string;
  files: string[];
  map: string;
  /** Loads the records of each file. */
  load(): Promise<PersonRecord[][]>;
  /** id → entity. */
  truth(): Map<string, string>;
}

function clusterTruth(file: string, idCol: string, clusterCol: string): Map<string, string> {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'), file);
  const header = rows[0]!.map((h) => h.trim());
  const [i, c] = [header.indexOf(idCol), header.indexOf(clusterCol)];
  return new Map(rows.slice(1).filter((r) => r.length > 1).map((r) => [r[i]!.trim(), r[c]!.trim()]));
}

function febrlTruth(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) for (const r of parseCsv(fs.readFileSync(f, 'utf8'), f).slice(1)) if (r[0]) out.set(r[0].trim(), /^rec-(\d+)-/.exec(r[0].trim())![1]!);
  return out;
}

function csvSet(name: string, files: string[], map: string, truth: () => Map<string, string>): DataSet {
  return { name, files, map, load: () => Promise.all(files.map((f) => readRecords(f, parseMap(map)))), truth };
}

export function publicSets(): DataSet[] {
  const febrl = (f: string): string => path.join(CORPORA, 'febrl', f);
  const splink = (f: string): string => path.join(CORPORA, 'splink', f);
  return [
    ...[1, 2, 3].map((k) => csvSet(`febrl${k}`, [febrl(`dataset${k}.csv`)], FEBRL_MAP, () => febrlTruth([febrl(`dataset${k}.csv`)]))),
    csvSet('febrl4', [febrl('dataset4a.csv'), febrl('dataset4b.csv')], FEBRL_MAP, () => febrlTruth([febrl('dataset4a.csv'), febrl('dataset4b.csv')])),
    csvSet('fake_1000', [splink('fake_1000.csv')], FAKE_MAP, () => clusterTruth(splink('fake_1000.csv'), 'unique_id', 'cluster')),
    csvSet('historical_50k', [splink('historical_figures_with_errors_50k.csv')], HISTORICAL_MAP, () => clusterTruth(splink('historical_figures_with_errors_50k.csv'), 'unique_id', 'cluster')),
  ];
}

import { generatePopulationArray, type PopulationOptions } from '../src/patients/matching/population/generate.js';

/** The household population the engine was developed against, and one of another seed and shape. */
export const HOUSEHOLD_SHAPES: { name: string; options: PopulationOptions }[] = [
  { name: 'households', options: { seed: 1, people: 10_000 } },
  { name: 'households-unseen', options: { seed: 20261202, people: 8_000, duplicateRate: 0.35, errorRate: 0.22, twinRate: 0.15, juniorRate: 0.15, householdExtra: 2.5, moveRate: 0.2 } },
];

export function householdSets(): DataSet[] {
  return HOUSEHOLD_SHAPES.map(({ name, options }) => {
    let cache: ReturnType<typeof generatePopulationArray> | null = null;
    const get = (): ReturnType<typeof generatePopulationArray> => (cache ??= generatePopulationArray(options));
    return { name, files: [], map: '', load: () => Promise.resolve([get().records]), truth: () => new Map([...get().truth].map(([k, v]) => [k, String(v)])) };
  });
}
