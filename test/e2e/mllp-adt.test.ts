import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAck } from '../../src/interop/hl7v2/ack.js';
import { SUPPORTED_ADT_EVENTS } from '../../src/interop/hl7v2/adt-event.js';
import { startMllp, type RunningMllp } from '../../src/main/mllp.js';
import { patientsOf } from '../../src/main/patients.js';
import { corpusInOrder, CORPUS } from '../support/hl7-corpus.js';
import { MllpClient } from '../support/mllp-client.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// The corpus through the real ADT applier of src/encounters (AdtApplier), in the README's order.
let t: TestPlatform;
let mllp: RunningMllp;
let client: MllpClient;

beforeAll(async () => {
  t = await startTestPlatform();
  mllp = await startMllp(t.platform, { handler: patientsOf(t.platform).adt, port: 0, log: () => undefined });
  client = await MllpClient.connect(mllp.port);
});
afterAll(async () => {
  client?.close();
  await mllp?.stop();
  await t?.close();
});

/**
 * The corpus is many unrelated sample sets that reuse identifiers (one NHS number for several patients, one visit
 * number for two people). The applier refuses those few with AE, naming the conflict; everything else applies.
 */
const EXPECTED_AE: Record<string, string> = {
  'microsoft-fhir-converter/ADT-A40-01.hl7': 'PATIENT_NOT_FOUND',
  'microsoft-fhir-converter/ADT-A40-02.hl7': 'PATIENT_NOT_FOUND',
  // visit 40007716 was admitted for another patient by an earlier sample
  'microsoft-fhir-converter/ADT01-23.hl7': 'ADT_VISIT_OTHER_PATIENT',
  // PID-3 repeats identifiers that earlier samples gave to two different patients
  'microsoft-fhir-converter/ADT01-28.hl7': 'PATIENT_IDENTIFIERS_CONFLICT',
};

describe('the corpus through the real ADT applier', () => {
  it('answers AA for every applicable ADT message, AE (queued, nothing kept) for the conflicting few, AR for the rest', async () => {
    const answers: string[] = [];
    for (const row of corpusInOrder()) {
      const ack = readAck((await client.send(fs.readFileSync(path.join(CORPUS, row.file), 'utf8')))!);
      const isSupported = row.code === 'ADT' && (SUPPORTED_ADT_EVENTS as readonly string[]).includes(row.trigger);
      if (!isSupported) {
        expect(ack.ackCode, row.file).toBe('AR');
        expect(ack.err, row.file).toMatch(/20[01]\^Unsupported/);
        continue;
      }
      if (ack.ackCode !== 'AA') answers.push(`${row.file} ${ack.ackCode} ${ack.text.split(':')[0]}`);
    }
    expect(answers).toEqual(Object.entries(EXPECTED_AE).map(([f, code]) => `${f} AE ${code}`));
    const queued = await t.sql("select m.message_type, e.error_code from hl7v2_error e join hl7v2_message m on m.id = e.message_id where e.status = 'open'");
    expect(queued.rows).toHaveLength(answers.length);
    const enc = await t.sql('select count(*)::int as n from encounter');
    expect(enc.rows[0].n).toBeGreaterThan(5);
    // the A40s whose prior patient is known were merged (the UCLH one by its MRN, the NHS number moving with it)
    const merges = await t.sql('select count(*)::int as n from patient_merge');
    expect(merges.rows[0].n).toBeGreaterThanOrEqual(1);
  });
});
