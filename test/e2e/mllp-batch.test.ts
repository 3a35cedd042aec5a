import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAck } from '../../src/interop/hl7v2/ack.js';
import { IntakeUnavailable, receive, receiveMany, type IntakeDeps, type IntakeResult } from '../../src/interop/hl7v2/intake.js';
import { hl7v2Of } from '../../src/main/hl7v2.js';
import { patientsOf } from '../../src/main/patients.js';
import { RUNTIME_ROLE } from '../../src/platform/db/database.js';
import { flushRows, insertRows, withWriteBehind, type DeferredTable } from '../../src/platform/db/write-behind.js';
import { adtMessage } from '../support/adt-traffic.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// Group commit: the messages waiting on several connections applied in one transaction (receiveMany), through the
// real ADT applier. The outcome of each message must be what it is when applied on its own.
let t: TestPlatform;
let intake: IntakeDeps;

beforeAll(async () => {
  t = await startTestPlatform();
  intake = hl7v2Of(t.platform, patientsOf(t.platform).adt, () => undefined).intake;
});
afterAll(async () => {
  await t?.close();
});

const ctx = { peer: 'test' };
const results = (outs: (IntakeResult | IntakeUnavailable)[]) => outs.map((o) => {
  if (o instanceof IntakeUnavailable) throw o;
  return o;
});

/** What the database holds for patient n (SYN<n>), without ids, MRNs or times. */
async function stateOf(n: number) {
  const p = await t.sql(`select p.id, p.version, p.phone_digits, (select count(*)::int from patient_version v where v.patient_id = p.id) as versions,
      (select count(*)::int from patient_identifier i where i.patient_id = p.id) as identifiers
    from patient p join patient_identifier i on i.patient_id = p.id where i.authority = 'SYNFAC' and i.value = $1`, [`SYN${n}`]);
  if (p.rows.length === 0) return null;
  const id = p.rows[0].id as string;
  const e = await t.sql(`select e.status, e.class, e.location, e.discharge_at is not null as discharged, array(select ev.event from encounter_event ev where ev.encounter_id = e.id order by ev.id) as events
    from encounter e where e.patient_id = $1`, [id]);
  const a = await t.sql(`select resource_type, count(*)::int as n from audit_event where patient_id = $1 and action = 'write' group by resource_type order by resource_type`, [id]);
  const m = await t.sql(`select status, count(*)::int as n from hl7v2_message where patient_id = $1 group by status order by status`, [id]);
  const patient = { ...p.rows[0] } as Record<string, unknown>;
  delete patient.id;
  return { patient: { ...patient, phone_digits: String(patient.phone_digits).slice(-2) === String(n % 100).padStart(2, '0') }, encounters: e.rows, audit: a.rows, messages: m.rows };
}

describe('group commit (receiveMany)', () => {
  it('a batch leaves exactly what the same messages leave applied one at a time', async () => {
    const batched = [1, 2, 3, 4, 5, 6, 7, 8];
    const single = batched.map((n) => n + 100);
    for (const ev of ['A04', 'A08', 'A03'] as const) {
      for (let i = 0; i < batched.length; i += 4) {
        const outs = results(await receiveMany(intake, batched.slice(i, i + 4).map((n) => ({ raw: adtMessage(n, ev, `B${ev}-${n}`), ctx }))));
        expect(outs.map((o) => o.ackCode)).toEqual(['AA', 'AA', 'AA', 'AA']);
        expect(new Set(outs.map((o) => o.messageId)).size).toBe(4);
        for (const o of outs) expect(readAck(o.ack).ackCode).toBe('AA');
      }
      for (const n of single) expect((await receive(intake, adtMessage(n, ev, `S${ev}-${n}`), ctx)).ackCode).toBe('AA');
    }
    for (const [k, n] of batched.entries()) {
      const b = await stateOf(n);
      expect(b).not.toBeNull();
      expect(b!.encounters).toEqual([expect.objectContaining({ status: 'discharged', discharged: true, events: ['A04', 'A08', 'A03'] })]);
      expect(b).toEqual(await stateOf(single[k]!));
    }
  });

  it('a message refused in a batch is answered AE and queued with nothing of it kept; its neighbours are applied', async () => {
    await receive(intake, adtMessage(20, 'A04', 'R-20'), ctx);
    // patient 21's message names patient 20's visit: ADT_VISIT_OTHER_PATIENT
    const stolen = adtMessage(21, 'A04', 'R-21').replace('|V21|', '|V20|');
    const outs = results(await receiveMany(intake, [adtMessage(22, 'A04', 'R-22'), stolen, adtMessage(23, 'A04', 'R-23')].map((raw) => ({ raw, ctx }))));
    expect(outs.map((o) => o.ackCode)).toEqual(['AA', 'AE', 'AA']);
    expect(readAck(outs[1]!.ack).text).toMatch(/ADT_VISIT_OTHER_PATIENT/);
    expect(await stateOf(21)).toBeNull();
    expect(await stateOf(22)).not.toBeNull();
    expect(await stateOf(23)).not.toBeNull();
    const q = await t.sql(`select e.error_code from hl7v2_error e join hl7v2_message m on m.id = e.message_id where m.control_id = 'R-21'`);
    expect(q.rows).toEqual([{ error_code: 'ADT_VISIT_OTHER_PATIENT' }]);
  });

  it('messages for one patient in one call are applied in arrival order; a resend in the same call is a duplicate', async () => {
    const a04 = adtMessage(30, 'A04', 'O-1');
    const outs = results(await receiveMany(intake, [a04, adtMessage(31, 'A04', 'O-9'), adtMessage(30, 'A08', 'O-2'), a04, adtMessage(30, 'A03', 'O-3')].map((raw) => ({ raw, ctx }))));
    expect(outs.map((o) => `${o.ackCode} ${o.status}`)).toEqual(['AA applied', 'AA applied', 'AA applied', 'AA duplicate', 'AA applied']);
    const s = await stateOf(30);
    expect(s!.encounters).toEqual([expect.objectContaining({ status: 'discharged', events: ['A04', 'A08', 'A03'] })]);
    expect(s!.messages).toEqual([{ status: 'applied', n: 3 }, { status: 'duplicate', n: 1 }]);
    expect(s!.patient).toMatchObject({ versions: 3 });
  });
});

describe('write-behind', () => {
  const T: DeferredTable = { table: 'wb_probe', columns: [['k', 'text'], ['v', 'jsonb']] };

  it('holds rows until the scope ends, writes them on a read-back flush, and loses them with a rollback', async () => {
    await t.sql('create table if not exists wb_probe (id bigint generated always as identity, k text not null, v jsonb)');
    await t.sql(`grant select, insert on wb_probe to ${RUNTIME_ROLE}`);
    const db = t.platform.db.app;
    const count = async (tx: typeof db, k: string) => Number((await tx.selectFrom('wb_probe' as never).select((eb) => eb.fn.countAll<number>().as('n')).where('k' as never, '=', k as never).executeTakeFirstOrThrow()).n);
    await db.transaction().execute(async (tx) => {
      await withWriteBehind(tx, async () => {
        await insertRows(tx, T, [{ k: 'held', v: '{"a":1}' }, { k: 'held', v: null }]);
        expect(await count(tx as never, 'held')).toBe(0);
        await flushRows(tx);
        expect(await count(tx as never, 'held')).toBe(2);
        await insertRows(tx, T, [{ k: 'end', v: '[]' }]);
      });
      expect(await count(tx as never, 'end')).toBe(1);
    });
    await expect(db.transaction().execute(async (tx) => withWriteBehind(tx, async () => {
      await insertRows(tx, T, [{ k: 'gone', v: null }]);
      throw new Error('rolled back');
    }))).rejects.toThrow('rolled back');
    await expect(db.transaction().execute(async (tx) => withWriteBehind(tx, async () => {
      await flushRows(tx);
      await insertRows(tx, T, [{ k: 'gone', v: '{"bad json' }]); // fails at the end of the scope: the whole transaction goes
    }))).rejects.toThrow(/json/i);
    const rows = await t.sql(`select k, v from wb_probe order by id`);
    expect(rows.rows).toEqual([{ k: 'held', v: { a: 1 } }, { k: 'held', v: null }, { k: 'end', v: [] }]);
    // outside a scope the rows are written at once
    await insertRows(db, T, [{ k: 'now', v: null }]);
    expect((await t.sql(`select count(*)::int as n from wb_probe where k = 'now'`)).rows[0].n).toBe(1);
  });
});
