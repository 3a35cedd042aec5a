import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { BIN, REPO } from '../support/server-process.js';

const SYNTHEA = path.resolve(REPO, '..', 'shared', 'corpora', 'synthea', 'bundles');
let databaseUrl = '';
let dataDir = '';
let db: pg.Client;

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_ADMIN_PASSWORD: 'Fhir-import-password-1' },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

const count = async (q: string) => Number((await db.query<{ n: string }>(q)).rows[0]?.n);

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-fhir-'));
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('chartroom import fhir', () => {
  it('imports the Synthea population: 40 patients, 581 encounters, practitioners de-duplicated by NPI', async () => {
    const r = await cli(['import', 'fhir', SYNTHEA]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/42 of 42 bundles imported/);
    expect(await count('select count(*) as n from patient')).toBe(40);
    expect(await count('select count(*) as n from encounter')).toBe(581);
    expect(await count("select count(*) as n from encounter where class = 'inpatient'")).toBe(8);
    const npis = await count('select count(*) as n from provider where npi is not null');
    expect(npis).toBe(await count('select count(distinct npi) as n from provider where npi is not null'));
    expect(npis).toBeGreaterThan(20);
    // Synthea's 999-… SSNs are test numbers: not kept
    expect(await count('select count(*) as n from patient where ssn_sealed is not null')).toBe(0);
    const carla = await db.query<{ family_name: string; language: string }>("select family_name, demographics->>'language' as language from patient where given_name = 'Carla'");
    expect(carla.rows[0]).toEqual({ family_name: 'Echevarría', language: 'Spanish' });
  });

  it('matches on re-import instead of creating again', async () => {
    const r = await cli(['import', 'fhir', SYNTHEA]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/0 created, 40 found by identifier/);
    expect(await count('select count(*) as n from patient')).toBe(40);
    expect(await count('select count(*) as n from encounter')).toBe(581);
  });

  it('links a bundle of the same person under another identifier through the matcher', async () => {
    const file = fs.readdirSync(SYNTHEA).find((f) => f.startsWith('Carla'))!;
    const bundle = JSON.parse(fs.readFileSync(path.join(SYNTHEA, file), 'utf8'));
    const patient = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient');
    patient.resource.identifier = [{ system: 'urn:other-hospital', value: 'OH-1' }];
    patient.resource.name[0].family = 'Echevaria';
    const only = { resourceType: 'Bundle', type: 'collection', entry: [patient] };
    const f = path.join(dataDir, 'carla-elsewhere.json');
    fs.writeFileSync(f, JSON.stringify(only));
    const r = await cli(['import', 'fhir', f]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 linked by the matcher/);
    expect(await count('select count(*) as n from patient')).toBe(40);
    expect(await count("select count(*) as n from patient_identifier where value = 'OH-1'")).toBe(1);
  });

  it('reports a bad bundle by name and keeps nothing of it, importing the others', async () => {
    const dir = fs.mkdtempSync(path.join(dataDir, 'bad-'));
    fs.writeFileSync(path.join(dir, 'a-junk.json'), '\u0000\u0001 not json');
    fs.writeFileSync(path.join(dir, 'b-not-bundle.json'), JSON.stringify({ resourceType: 'Patient' }));
    const broken = { resourceType: 'Bundle', type: 'transaction', entry: [
      { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:t', value: 'T-1' }], name: [{ family: 'Halfway', given: ['Harriet'] }], birthDate: '1950-01-01' } },
      { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Encounter', id: 'e-orphan', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:nobody' } } },
    ] };
    fs.writeFileSync(path.join(dir, 'c-half.json'), JSON.stringify(broken));
    const r = await cli(['import', 'fhir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a-junk\.json: FHIR_BUNDLE_INVALID/);
    expect(r.err).toMatch(/b-not-bundle\.json: FHIR_BUNDLE_INVALID/);
    expect(r.err).toMatch(/c-half\.json: FHIR_BUNDLE_INVALID/);
    expect(await count("select count(*) as n from patient where family_name = 'Halfway'")).toBe(0);
    expect((await cli(['import', 'fhir', path.join(dataDir, 'nope')])).err).toMatch(/FHIR_IMPORT_FAILED/);
  });
});

describe('chartroom demo seed and mpi scan', () => {
  it('seeds synthetic patients with encounters and fills the duplicate work list; a second run of the seed is refused', async () => {
    const r = await cli(['demo', 'seed', '--patients', '150', '--seed', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/demo: 150 patients, \d+ encounters, \d+ likely-duplicate pairs/);
    expect(await count("select count(*) as n from patient_identifier where authority = 'CHARTROOM-DEMO'")).toBeGreaterThanOrEqual(150);
    expect(await count("select count(*) as n from encounter where source = 'demo seed' and status = 'discharged'")).toBeGreaterThan(20);
    expect(await count("select count(*) as n from patient_match_candidate where found_by = 'mpi scan'")).toBeGreaterThan(0);
    expect(await count('select count(*) as n from patient_match_model')).toBe(1);
    const again = await cli(['demo', 'seed', '--patients', '150', '--seed', '5']);
    expect(again.err).toMatch(/DEMO_ALREADY_SEEDED/);
    const scan = await cli(['mpi', 'scan']);
    expect(scan.code, scan.err).toBe(0);
    expect(scan.out).toMatch(/\d+ patients, \d+ candidate pairs compared/);
    // explanations are stored with each pair
    const ex = await db.query<{ e: { field: string }[] }>("select explanation as e from patient_match_candidate where found_by = 'mpi scan' limit 1");
    expect(ex.rows[0]?.e.length).toBeGreaterThan(2);
  });
});
