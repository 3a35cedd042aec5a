import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdtEvent } from '../../src/interop/hl7v2/adt-event.js';
import { patientsOf } from '../../src/main/patients.js';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';

let t: TestPlatform;
let clerk: Session;
let coder: Session;

const demo = (given: string, family: string, birthDate: string | null, extra: Record<string, unknown> = {}) => ({
  names: [{ family, given }], birthDate, sex: 'F', addresses: [{ line1: '12 Harbor Rd', city: 'Springfield', state: 'IL', postalCode: '62704' }],
  phones: [{ number: '(217) 555-0142' }], nextOfKin: [], coverages: [], ...extra,
});

async function register(given: string, family: string, birthDate: string | null, extra: Record<string, unknown> = {}) {
  const r = await clerk.request('POST', '/api/patients', { demographics: demo(given, family, birthDate, extra) });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string; mrn: string; version: number }>();
}

const system = { userId: null, username: 'test-feed', sourceIp: null, channel: 'mllp' as const };

function adt(event: AdtEvent['event'], mrn: string, visit: string | null, extra: Partial<AdtEvent> = {}): AdtEvent {
  return {
    event, messageTime: '2025-03-01T10:00:00.000Z', occurredAt: null,
    patient: { identifiers: [{ value: mrn, authority: 'HOSP', type: 'MR' }], names: [{ family: 'Okafor', given: 'Ada', middle: null, suffix: null, prefix: null, use: 'L' }], birthDate: '1971-05-04', sex: 'F', race: null, ethnicity: null, maritalStatus: null, language: null, addresses: [], phones: [], email: null, ssn: null, deathDate: null, deceased: null },
    nextOfKin: [], guarantor: null, coverages: [],
    visit: visit === null ? null : { accountNumber: null, visitNumber: visit, patientClass: 'I', location: { pointOfCare: '4W', room: '401', bed: 'A', facility: 'MAIN' }, priorLocation: null, admitType: 'E', admitSource: '7', attending: [{ id: '1234567893', idIsNpi: true, family: 'Reyes', given: 'Luis' }], referring: [], consulting: [], admitting: [], hospitalService: 'MED', financialClass: 'MC', dischargeDisposition: null, admitAt: '2025-03-01T09:30:00.000Z', dischargeAt: null },
    merge: null, ...extra,
  };
}

async function applyAdt(e: AdtEvent) {
  const { adt: applier } = patientsOf(t.platform);
  return t.platform.db.app.transaction().execute((tx) => applier.apply(tx, e, system));
}

beforeAll(async () => {
  t = await startTestPlatform();
  const c = await addUser(t, 'clerk1', ['clerk']);
  clerk = await login(t.app, c.username, c.password, c.totpSecret);
  const k = await addUser(t, 'coder1', ['coder']);
  coder = await login(t.app, k.username, k.password, k.totpSecret);
});
afterAll(() => t.close());

describe('registration and search', () => {
  it('assigns an MRN with a valid check digit and keeps the SSN sealed, shown masked', async () => {
    const p = await register('Margaret', 'Llewellyn-Hughes', '1958-11-23', { ssn: '123-45-6789' });
    expect(patientsOf(t.platform).patients.validMrn(p.mrn)).toBe(true);
    const got = await clerk.request('GET', `/api/patients/${p.id}`);
    expect(got.json().demographics.ssn).toBe('***-**-6789');
    const raw = await t.sql('select demographics::text as d, ssn_sealed as s from patient where id = $1', [p.id]);
    expect(raw.rows[0]?.d).not.toContain('123456789');
    expect(raw.rows[0]?.s).not.toContain('6789');
    const ver = await t.sql('select demographics::text as d from patient_version where patient_id = $1', [p.id]);
    expect(ver.rows[0]?.d).not.toContain('123456789');
  });

  it('finds patients despite typos, nicknames, hyphenated and swapped names', async () => {
    await register('William', 'Thornbury', '1980-02-14');
    await register('Wilma', 'Thornbury', '1982-07-30');
    const find = async (q: string) => (await clerk.request('GET', `/api/patients?${q}`)).json<{ items: { name: { given: string; family: string } }[] }>().items.map((i) => `${i.name.given} ${i.name.family}`);
    expect((await find('name=Bill%20Thornbury'))[0]).toBe('William Thornbury');
    expect(await find('name=William%20Thornbery')).toContain('William Thornbury');
    expect(await find('name=Thornbury%20William')).toContain('William Thornbury');
    expect(await find('name=Thornbury,%20William')).toContain('William Thornbury');
    expect(await find('name=Margaret%20Hughes')).toContain('Margaret Llewellyn-Hughes');
    expect(await find('name=Thornbury&birthDate=1982-07-30')).toEqual(['Wilma Thornbury']);
    expect(await find('name=Margaret&ssn4=6789')).toContain('Margaret Llewellyn-Hughes');
  });

  it('searches by MRN and refuses unusable queries with a clear code', async () => {
    const p = await register('Chidi', 'Anagonye', '1990-09-09');
    const r = await clerk.request('GET', `/api/patients?mrn=${p.mrn}`);
    expect(r.json().items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    expect((await clerk.request('GET', '/api/patients')).json().code).toBe('VALIDATION_FAILED');
    expect((await clerk.request('GET', '/api/patients?ssn4=1234')).statusCode).toBe(400);
    expect((await clerk.request('GET', '/api/patients?name=x&birthDate=1990-13-45')).statusCode).toBe(400);
    expect((await clerk.request('GET', '/api/patients?name=x&sort=name')).statusCode).toBe(400);
  });

  it('keeps every version of the demographics and audits reads and changes', async () => {
    const p = await register('Ines', 'Duarte', '1975-01-01');
    const upd = await clerk.request('PUT', `/api/patients/${p.id}`, { demographics: demo('Ines', 'Duarte-Silva', '1975-01-01'), version: 1, reason: 'marriage' });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().version).toBe(2);
    const stale = await clerk.request('PUT', `/api/patients/${p.id}`, { demographics: demo('Ines', 'Silva', '1975-01-01'), version: 1 });
    expect(stale.json().code).toBe('PATIENT_VERSION_CONFLICT');
    const hist = (await clerk.request('GET', `/api/patients/${p.id}/history`)).json<{ items: { version: number; demographics: { names: { family: string }[] } }[] }>().items;
    expect(hist.map((h) => [h.version, h.demographics.names[0]?.family])).toEqual([[2, 'Duarte-Silva'], [1, 'Duarte']]);
    const audit = await t.sql("select action, count(*)::text as n from audit_event where patient_id = $1 group by action order by action", [p.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['read', 'write']);
    // name search looks up similar spellings among the distinct names, which follow the change
    const terms = await t.sql("select term from patient_name_term where term like 'duarte%' order by term");
    expect(terms.rows.map((r) => r.term)).toEqual(['duarte', 'duarte silva']);
    const found = (await clerk.request('GET', '/api/patients?name=Ines%20Duarte-Silvo')).json<{ items: { id: string }[] }>().items;
    expect(found.map((i) => i.id)).toContain(p.id);
  });

  it('shows likely duplicates while the clerk types, scored and explained', async () => {
    await register('Katherine', 'Abernathy', '1966-04-12');
    const r = await clerk.request('POST', '/api/patients/likely', { demographics: demo('Kathy', 'Abernathy', '1966-04-12') });
    expect(r.statusCode, r.body).toBe(200);
    const top = r.json().items[0];
    expect(top.patient.name.given).toBe('Katherine');
    expect(top.contributions.length).toBeGreaterThan(2);
  });

  it('lets a coder read but not register, and validates the body', async () => {
    expect((await coder.request('POST', '/api/patients', { demographics: demo('A', 'B', null) })).statusCode).toBe(403);
    expect((await clerk.request('POST', '/api/patients', { demographics: demo('A', 'B', '2999-01-01') })).json().code).toBe('VALIDATION_FAILED');
    expect((await clerk.request('POST', '/api/patients', { demographics: { ...demo('A', 'B', null), ssn: '12' } })).statusCode).toBe(400);
    expect((await clerk.request('GET', '/api/patients/nope')).statusCode).toBe(404);
  });
});

describe('ADT, merge and unmerge', () => {
  it('applies admit, transfer, discharge and its cancel to one encounter', async () => {
    const a = await applyAdt(adt('A01', 'H100', 'V100'));
    expect(a.encounterId).not.toBeNull();
    await applyAdt(adt('A02', 'H100', 'V100', { visit: { ...adt('A02', 'H100', 'V100').visit!, location: { pointOfCare: 'ICU', room: '2', bed: 'B', facility: 'MAIN' } } }));
    await applyAdt(adt('A03', 'H100', 'V100', { visit: { ...adt('A03', 'H100', 'V100').visit!, location: null, dischargeAt: '2025-03-05T12:00:00.000Z', dischargeDisposition: '1' } }));
    let enc = (await clerk.request('GET', `/api/encounters/${a.encounterId}`)).json();
    expect([enc.status, enc.location, enc.dischargeDisposition, enc.dischargeDispositionLabel]).toEqual(['discharged', 'MAIN/ICU', '01', 'Discharged to home or self care']);
    await applyAdt(adt('A13', 'H100', 'V100'));
    enc = (await clerk.request('GET', `/api/encounters/${a.encounterId}`)).json();
    expect([enc.status, enc.dischargeAt]).toEqual(['active', null]);
    expect(enc.events.map((e: { event: string }) => e.event)).toEqual(['A01', 'A02', 'A03', 'A13']);
    const census = (await clerk.request('GET', '/api/encounters?kind=census')).json().items;
    expect(census.map((c: { accountNumber: string }) => c.accountNumber)).toContain('V100');
  });

  it('creates the visit for a discharge it has not seen, and refuses a visit-less admit', async () => {
    const r = await applyAdt(adt('A03', 'H101', 'V101', { visit: { ...adt('A03', 'H101', 'V101').visit!, dischargeAt: '2025-03-02T08:00:00.000Z' } }));
    const enc = (await clerk.request('GET', `/api/encounters/${r.encounterId}`)).json();
    expect(enc.status).toBe('discharged');
    await expect(applyAdt(adt('A01', 'H101', null))).rejects.toMatchObject({ code: 'ADT_VISIT_MISSING' });
  });

  it('merges with every encounter moved, and unmerges to the exact prior state, taking along what arrived since', async () => {
    await applyAdt(adt('A04', 'H200', 'V200'));
    await applyAdt(adt('A04', 'H201', 'V201', { patient: { ...adt('A04', 'H201', 'V201').patient, phones: [{ number: '2175550199', use: 'PRN' }] } }));
    const [p200] = (await t.sql("select patient_id as id from patient_identifier where value = 'H200'")).rows;
    const [p201] = (await t.sql("select patient_id as id from patient_identifier where value = 'H201'")).rows;
    const before = (await clerk.request('GET', `/api/patients/${p200!.id}`)).json();
    const m = await clerk.request('POST', '/api/mpi/merges', { survivorId: p200!.id, mergedId: p201!.id, reason: 'same person' });
    expect(m.statusCode, m.body).toBe(201);
    expect(m.json().moved).toEqual({ encounter: 1 });
    const encs = (await clerk.request('GET', `/api/patients/${p200!.id}/encounters`)).json().items.map((e: { accountNumber: string }) => e.accountNumber).sort();
    expect(encs).toEqual(['V200', 'V201']);
    const merged = (await clerk.request('GET', `/api/patients/${p200!.id}`)).json();
    expect(merged.demographics.phones.map((p: { number: string }) => p.number)).toContain('2175550199');
    // A visit for the merged patient's MRN after the merge lands on the survivor …
    const late = await applyAdt(adt('A04', 'H201', 'V202'));
    expect(late.patientId).toBe(p200!.id);
    // … and a double merge is refused
    expect((await clerk.request('POST', '/api/mpi/merges', { survivorId: p200!.id, mergedId: p201!.id })).json().code).toBe('MERGE_INVALID');
    const un = await clerk.request('POST', `/api/mpi/merges/${m.json().id}/unmerge`, { reason: 'two people after all' });
    expect(un.statusCode, un.body).toBe(200);
    const mine = (await clerk.request('GET', `/api/patients/${p200!.id}/encounters`)).json().items.map((e: { accountNumber: string }) => e.accountNumber);
    const theirs = (await clerk.request('GET', `/api/patients/${p201!.id}/encounters`)).json().items.map((e: { accountNumber: string }) => e.accountNumber).sort();
    expect(mine).toEqual(['V200']);
    expect(theirs).toEqual(['V201', 'V202']);
    const after = (await clerk.request('GET', `/api/patients/${p200!.id}`)).json();
    expect(after.demographics).toEqual(before.demographics);
    expect((await clerk.request('GET', `/api/patients/${p201!.id}`)).json().status).toBe('active');
    const hist = (await clerk.request('GET', `/api/patients/${p200!.id}/merges`)).json().items;
    expect(hist[0].unmergeReason).toBe('two people after all');
    expect((await clerk.request('POST', `/api/mpi/merges/${m.json().id}/unmerge`, { reason: 'again please' })).json().code).toBe('MERGE_INVALID');
  });

  it('merges from an A40 and rolls the whole merge back when a holder fails', async () => {
    await applyAdt(adt('A04', 'H300', 'V300'));
    await applyAdt(adt('A04', 'H301', 'V301'));
    const r = await applyAdt(adt('A40', 'H300', null, { merge: { priorIdentifiers: [{ value: 'H301', authority: 'HOSP', type: 'MR' }], priorAccount: null, priorVisitNumber: null } }));
    const encs = (await clerk.request('GET', `/api/patients/${r.patientId}/encounters`)).json().items.map((e: { accountNumber: string }) => e.accountNumber).sort();
    expect(encs).toEqual(['V300', 'V301']);

    const mods = patientsOf(t.platform);
    await applyAdt(adt('A04', 'H400', 'V400'));
    await applyAdt(adt('A04', 'H401', 'V401'));
    const id = async (v: string) => (await t.sql('select patient_id as id from patient_identifier where value = $1', [v])).rows[0]!.id;
    const [a, b] = [await id('H400'), await id('H401')];
    mods.references.register({ name: 'failing-test-holder', moveAll: (_tx, from) => (from === b ? Promise.reject(new Error('disk full')) : Promise.resolve([])), moveRows: () => Promise.resolve() });
    expect((await clerk.request('POST', '/api/mpi/merges', { survivorId: a, mergedId: b })).statusCode).toBe(500);
    const state = await t.sql("select patient_id from encounter where account_number = 'V401'");
    expect(state.rows[0]?.patient_id).toBe(b);
    expect((await t.sql('select status from patient where id = $1', [b])).rows[0]?.status).toBe('active');
  });
});

describe('the duplicate work list', () => {
  it('remembers "not a match" and merges on "match"', async () => {
    const a = await register('Roberta', 'Quayle', '1944-03-03');
    const b = await register('Bobbie', 'Quayle', '1944-03-03');
    const c = await register('Rob', 'Quayle', '1944-03-03');
    const { review } = patientsOf(t.platform);
    const score = { score: 5, decision: 'review' as const, contributions: [{ field: 'given_name', level: 'nickname', weight: 2 }] };
    await t.platform.db.app.transaction().execute((tx) => review.addIn(tx as never, [{ a: a.id, b: b.id, score }, { a: a.id, b: c.id, score }], 'test'));
    const list = (await clerk.request('GET', '/api/mpi/candidates')).json().items;
    expect(list).toHaveLength(2);
    const ab = list.find((i: { a: { id: string }; b: { id: string } }) => [i.a.id, i.b.id].includes(b.id));
    const ac = list.find((i: { a: { id: string }; b: { id: string } }) => [i.a.id, i.b.id].includes(c.id));
    expect((await clerk.request('POST', `/api/mpi/candidates/${ab.id}/decision`, { decision: 'not_match', note: 'sisters' })).statusCode).toBe(200);
    expect((await clerk.request('POST', `/api/mpi/candidates/${ab.id}/decision`, { decision: 'match', survivorId: a.id })).json().code).toBe('CANDIDATE_DECIDED');
    await t.platform.db.app.transaction().execute((tx) => review.addIn(tx as never, [{ a: b.id, b: a.id, score: { ...score, score: 9 } }], 'test'));
    expect((await clerk.request('GET', '/api/mpi/candidates')).json().items.map((i: { id: string }) => i.id)).toEqual([ac.id]);
    const m = await clerk.request('POST', `/api/mpi/candidates/${ac.id}/decision`, { decision: 'match', survivorId: a.id, note: 'same' });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().mergeId).not.toBeNull();
    expect((await clerk.request('GET', `/api/patients/${c.id}`)).json().status).toBe('merged');
  });
});

describe('FHIR Patient/$match', () => {
  it('returns scored candidates with the match-grade extension, and OperationOutcome on bad input', async () => {
    await register('Theodora', 'Papadakis', '1939-12-25');
    const body = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Patient', name: [{ family: 'Papadakis', given: ['Theodora'] }], birthDate: '1939-12-25', gender: 'female', address: [{ line: ['12 Harbor Rd'], postalCode: '62704' }] } }, { name: 'count', valueInteger: 3 }] };
    const r = await clerk.request('POST', '/fhir/R4/Patient/$match', body, { 'content-type': 'application/fhir+json' });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.resourceType).toBe('Bundle');
    expect(b.entry[0].resource.name[0].family).toBe('Papadakis');
    expect(b.entry[0].search.score).toBeGreaterThan(0.9);
    expect(b.entry[0].search.extension[0]).toEqual({ url: 'http://hl7.org/fhir/StructureDefinition/match-grade', valueCode: expect.stringMatching(/certain|probable/) });
    const bad = await clerk.request('POST', '/fhir/R4/Patient/$match', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Observation' } }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().resourceType).toBe('OperationOutcome');
    const anon = await t.app.inject({ method: 'POST', url: '/fhir/R4/Patient/$match', payload: body });
    expect(anon.statusCode).toBe(401);
  });
});

describe('nullable fields', () => {
  it('keeps a null birth date null (not coerced to an empty string)', async () => {
    const r = await clerk.request('POST', '/api/patients', { demographics: { ...demo('Nameless', 'Doe', null), email: null, guarantor: null } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().birthDate).toBeNull();
  });
});
