import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';

// Bad input on the coding assignment routes and the work list's assignee filter: clear 4xx codes, nothing assigned,
// nothing audited.
let t: TestPlatform;
let coder: Session;
let coderId = '';

const junkBytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + seed) % 256));
const writes = async () => Number((await t.sql("select count(*) as n from audit_event where resource_type = 'CodingCase' and action = 'write'")).rows[0].n);

beforeAll(async () => {
  t = await startTestPlatform();
  const k = await addUser(t, 'coder-junk', ['coder']);
  coderId = k.id;
  coder = await login(t.app, k.username, k.password, k.totpSecret);
});
afterAll(() => t.close());

describe('coding assignment', () => {
  it('refuses bulk bodies of the wrong shape with 400 and assigns nothing', async () => {
    const before = await writes();
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const bodies: unknown[] = [
      { encounterIds: ['not-a-uuid'], userId: coderId },
      { encounterIds: ["' or 1=1 --"], userId: coderId },
      { encounterIds: ids(501), userId: coderId },
      { encounterIds: [], userId: coderId },
      { encounterIds: (() => { const one = randomUUID(); return [one, one]; })(), userId: coderId },
      { encounterIds: ids(1), userId: 'not-a-uuid' },
      { encounterIds: ids(1), userId: 42 },
      { encounterIds: ids(1) },
      { encounterIds: ids(1), userId: coderId, reason: 'extra' },
      { encounterIds: randomUUID(), userId: coderId },
      { encounterIds: [{ id: randomUUID() }], userId: coderId },
      { encounterIds: ['\u0000\u0001\uffff'], userId: coderId },
      [randomUUID()],
    ];
    for (const body of bodies) {
      const r = await coder.request('PUT', '/api/coding/assignments', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    expect(await writes()).toBe(before);
  });

  it('refuses binary junk and non-JSON bodies', async () => {
    const headers = { cookie: coder.cookie, 'x-csrf-token': coder.csrf };
    const junk = await t.app.inject({ method: 'PUT', url: '/api/coding/assignments', headers: { ...headers, 'content-type': 'application/json' }, payload: junkBytes(4000, 5) });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().code).toBe('MALFORMED_JSON');
    const octets = await t.app.inject({ method: 'PUT', url: '/api/coding/assignments', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: junkBytes(4000, 6) });
    expect(octets.statusCode).toBe(415);
    const single = await t.app.inject({ method: 'PUT', url: `/api/coding/cases/${randomUUID()}/assignee`, headers: { ...headers, 'content-type': 'application/json' }, payload: junkBytes(500, 7) });
    expect(single.statusCode).toBe(400);
  });

  it('refuses single-case bodies of the wrong shape, 404 for an unknown case id, 414 for an overlong one', async () => {
    const url = `/api/coding/cases/${randomUUID()}/assignee`;
    for (const body of [{ userId: 'not-a-uuid' }, {}, { userId: coderId, extra: true }, { userId: [coderId] }]) {
      const r = await coder.request('PUT', url, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await coder.request('PUT', url, { userId: coderId })).statusCode).toBe(404);
    expect((await coder.request('PUT', '/api/coding/cases/x/assignee', { userId: null })).statusCode).toBe(404);
    expect((await coder.request('PUT', `/api/coding/cases/${'x'.repeat(200)}/assignee`, { userId: null })).statusCode).toBe(414);
    // Valid shape, unknown cases: nothing to assign.
    const unknown = await coder.request('PUT', '/api/coding/assignments', { encounterIds: [randomUUID(), randomUUID()], userId: null });
    expect(unknown.statusCode).toBe(404);
  });

  it('treats the work list filter and the coder list query as data', async () => {
    for (const q of ["assignedTo=' or 1=1 --", 'assignedTo=somebody', `assignedTo=${'a'.repeat(41)}`, 'assignedTo=%00', 'assignedTo=NONE', 'mine=true']) {
      const r = await coder.request('GET', `/api/coding/worklist?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().code, q).toBe('INVALID_PARAMETER');
    }
    for (const q of ['assignedTo=none', 'assignedTo=me', `assignedTo=${randomUUID()}`]) {
      expect((await coder.request('GET', `/api/coding/worklist?${q}`)).statusCode, q).toBe(200);
    }
    expect((await coder.request('GET', '/api/coding/coders?role=admin')).statusCode).toBe(400);
    expect((await t.sql("select to_regclass('coding_case') as t")).rows[0].t).toBe('coding_case');
  });
});
