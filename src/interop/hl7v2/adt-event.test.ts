import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_ADT_EVENTS, toAdtEvent } from './adt-event.js';
import { hl7Date, hl7Instant, Hl7Reject, messageType, parseHl7, unescapeHl7 } from './message.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'corpora', 'hl7v2');

interface Row { file: string; code: string; trigger: string }
function corpusIndex(): Row[] {
  const lines = fs.readFileSync(path.join(CORPUS, 'index.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [file = '', code = '', trigger = ''] = l.split(',');
    return { file, code, trigger };
  });
}
const read = (file: string) => fs.readFileSync(path.join(CORPUS, file), 'utf8');

describe('the corpus (../shared/corpora/hl7v2)', () => {
  const rows = corpusIndex();

  it('has the 198 messages the README lists', () => {
    expect(rows).toHaveLength(198);
  });

  it('parses every message, with MSH-9 as index.csv lists it', () => {
    for (const row of rows) {
      const m = parseHl7(read(row.file));
      const t = messageType(m);
      expect(`${row.file} ${t.code}^${t.trigger}`).toBe(`${row.file} ${row.code}^${row.trigger}`);
    }
  });

  it('maps every supported ADT message to an AdtEvent with a patient identifier, and answers the rest AR', () => {
    let mapped = 0;
    for (const row of rows) {
      const m = parseHl7(read(row.file));
      const supported = row.code === 'ADT' && (SUPPORTED_ADT_EVENTS as readonly string[]).includes(row.trigger);
      if (supported) {
        const e = toAdtEvent(m);
        expect(e.event).toBe(row.trigger);
        expect(e.patient.identifiers.length, row.file).toBeGreaterThan(0);
        expect(e.patient.identifiers.every((i) => i.value !== '')).toBe(true);
        mapped++;
      } else {
        let err: unknown;
        try {
          toAdtEvent(m);
        } catch (e) {
          err = e;
        }
        expect(err, row.file).toBeInstanceOf(Hl7Reject);
        const r = err as Hl7Reject;
        expect(r.ackCode).toBe('AR');
        expect(r.condition).toBe(row.code === 'ADT' ? '201' : '200');
        expect(r.code).toBe(row.code === 'ADT' ? 'HL7_EVENT_UNSUPPORTED' : 'HL7_MESSAGE_UNSUPPORTED');
      }
    }
    expect(mapped).toBe(84);
  });

  it('reads the kitchen-sink A01 field by field', () => {
    const e = toAdtEvent(parseHl7(read('microsoft-fhir-converter/ADT-A01-01.hl7')));
    expect(e.patient.identifiers[0]).toEqual({ value: 'PATID1234', authority: 'test1', type: 'MR' });
    expect(e.patient.identifiers[1]).toEqual({ value: '123456789', authority: 'USSSA', type: 'SS' });
    expect(e.patient.names[0]).toMatchObject({ family: 'EVERYMAN', given: 'ADAM', middle: 'A', suffix: 'III', prefix: 'Dr.', use: 'D' });
    expect(e.patient.birthDate).toBe('1988-08-18');
    expect(e.patient.sex).toBe('M');
    expect(e.patient.race).toBe('2106-3');
    expect(e.patient.addresses[0]).toMatchObject({ line1: '1000', line2: 'Ste. 123', city: 'Ann Arbor', state: 'MI', postalCode: '99999' });
    expect(e.nextOfKin.length).toBeGreaterThan(0);
    expect(e.guarantor?.name?.family).toBe('RADIANT');
    expect(e.coverages[0]?.planId).toBe('BAV');
    expect(e.visit?.patientClass).toBe('P');
    expect(e.visit?.location).toMatchObject({ pointOfCare: 'HUH AE OMU', room: 'OMU B', bed: 'Bed 03' });
    expect(e.visit?.attending[0]).toMatchObject({ id: '1122334', family: 'Alaz', given: 'Mohammed' });
  });

  it('reads the Epic-style A01 (one doctor under three ID schemes; PV1-19 visit number)', () => {
    const e = toAdtEvent(parseHl7(read('uclh-emap/generic/A01.hl7')));
    expect(e.patient.identifiers.map((i) => `${i.value}/${i.authority}/${i.type}`)).toEqual(['40800000/MRENTR/MEDREC', '9999999999/NHS/HN']);
    expect(e.patient.names[0]).toMatchObject({ family: 'ORANGE', given: 'BLOOD' });
    expect(e.visit?.patientClass).toBe('I');
    expect(e.visit?.attending).toHaveLength(1);
    expect(e.messageTime).toBe('2013-02-11T10:00:52.000Z');
  });

  it('reads the A40 merge (MRG-1)', () => {
    const e = toAdtEvent(parseHl7(read('uclh-emap/generic/A40.hl7')));
    expect(e.merge?.priorIdentifiers[0]).toEqual({ value: '40800000', authority: 'MRENTR', type: null });
    expect(e.patient.identifiers[0]?.value).toBe('40800001');
  });
});

describe('broken messages', () => {
  const good = read('uclh-emap/generic/A01.hl7');
  const reject = (text: string): Hl7Reject => {
    try {
      toAdtEvent(parseHl7(text));
    } catch (e) {
      if (e instanceof Hl7Reject) return e;
      throw e;
    }
    throw new Error('accepted');
  };

  it('missing PID-3 is AE 101 at PID-3', () => {
    const r = reject(good.replace('40800000^^^MRENTR^MEDREC~9999999999^^^NHS^HN', ''));
    expect([r.ackCode, r.condition, r.location, r.code]).toEqual(['AE', '101', 'PID-3', 'HL7_REQUIRED_FIELD_MISSING']);
  });
  it('a bad segment ID is AR 100', () => {
    const r = reject(good.replace('\rPD1', '\rp!1|x'));
    expect([r.ackCode, r.condition, r.code]).toEqual(['AR', '100', 'HL7_MESSAGE_INVALID']);
  });
  it('wrong encoding characters are AR 102', () => {
    expect(reject(good.replace('MSH|^~\\&', 'MSH|^~#&')).condition).toBe('102');
    expect(reject(good.replace('MSH|^~\\&|', 'MSH#^~\\&#')).condition).toBe('102');
  });
  it('no MSH, binary junk, 10k segments, empty MSH-10 are AR', () => {
    expect(reject('PID|1||x').condition).toBe('100');
    expect(reject(`${good.slice(0, 40)}\x00\x01\x02${good.slice(40)}`).ackCode).toBe('AR');
    expect(reject(good + 'OBX|1|TX|x\r'.repeat(10_000)).detail).toMatch(/10007 segments/);
    expect(reject(good.replace('|31644|', '||')).location).toBe('MSH-10');
  });
  it('an unknown event is AR 201 naming it', () => {
    const r = reject(good.replace('ADT^A01', 'ADT^Z99'));
    expect([r.ackCode, r.condition]).toEqual(['AR', '201']);
    expect(r.detail).toContain('Z99');
  });
  it('an A40 without MRG is AE', () => {
    expect(reject(read('uclh-emap/generic/A40.hl7').replace(/MRG\|[^\r]*\r/, '')).location).toBe('MRG-1');
  });
});

describe('field helpers', () => {
  it('unescapes', () => {
    expect(unescapeHl7('A\\T\\B\\F\\C\\S\\D\\R\\E\\E\\\\X41\\\\H\\x')).toBe('A&B|C^D~E\\Ax');
  });
  it('reads TS with and without offsets', () => {
    expect(hl7Instant('198808181126+0215')).toBe('1988-08-18T09:11:00.000Z');
    expect(hl7Instant('20130211100052')).toBe('2013-02-11T10:00:52.000Z');
    expect(hl7Instant('20130211100052', '+0100')).toBe('2013-02-11T09:00:52.000Z');
    expect(hl7Instant('20210817151943.4+0200')).toBe('2021-08-17T13:19:43.400Z');
    expect(hl7Instant('2013')).toBe('2013-01-01T00:00:00.000Z');
    expect(hl7Instant('garbage')).toBeNull();
    expect(hl7Date('199909090300')).toBe('1999-09-09');
    expect(hl7Date('20230231')).toBeNull();
  });
});
