/** Synthetic ADT traffic (A04 register, A08 update, A03 discharge) for the MLLP kill test and bench:mllp. No real PHI. */

const FAMILY = ['SMITH', 'JOHNSON', 'NGUYEN', 'GARCIA', 'MUELLER', 'OKAFOR', 'TANAKA', 'ROSSI', 'KOWALSKI', 'DUBOIS', 'SILVA', 'HANSEN'];
const GIVEN = ['ALEX', 'SAM', 'JORDAN', 'TAYLOR', 'MORGAN', 'CASEY', 'RILEY', 'JAMIE', 'AVERY', 'QUINN', 'DREW', 'ROBIN'];

function segment(fields: string[]): string {
  return fields.join('|');
}

function pv1(visit: string, at: string, discharge: string | null): string {
  const f = new Array<string>(46).fill('');
  f[0] = 'PV1';
  f[1] = '1';
  f[2] = 'O';
  f[3] = 'CLINIC^101^A^MAIN';
  f[7] = '1234567893^WELBY^MARCUS^^^^^^NPI';
  f[10] = 'MED';
  f[19] = visit;
  f[20] = 'SELF';
  if (discharge) f[36] = '01';
  f[44] = at;
  if (discharge) f[45] = discharge;
  return segment(f);
}

/**
 * One message of patient `n`'s visit.
 * @param n - the patient number (MRN SYN<n>, visit V<n>)
 * @param event - A04 registers, A08 updates the phone, A03 discharges
 * @param controlId - MSH-10
 */
export function adtMessage(n: number, event: 'A04' | 'A08' | 'A03', controlId: string, app = 'SYNADT'): string {
  const ts = '20260101' + String(8 + (n % 10)).padStart(2, '0') + '0000';
  const dob = `19${String(40 + (n % 60)).padStart(2, '0')}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`;
  const phone = event === 'A08' ? `555-02${String(n % 100).padStart(2, '0')}` : `555-01${String(n % 100).padStart(2, '0')}`;
  const structure = event === 'A03' ? 'ADT_A03' : 'ADT_A01';
  return [
    segment(['MSH', '^~\\&', app, 'SYNFAC', 'CHARTROOM', 'CHARTROOM', ts, '', `ADT^${event}^${structure}`, controlId, 'P', '2.5.1']),
    segment(['EVN', event, ts]),
    segment(['PID', '1', '', `SYN${n}^^^SYNFAC^MR`, '', `${FAMILY[n % FAMILY.length]}${n}^${GIVEN[(n * 7) % GIVEN.length]}^^^^^L`, '', dob, n % 2 ? 'F' : 'M', '', '', `${n} MAIN ST^^SPRINGFIELD^IL^62701^USA^H`, '', phone]),
    pv1(`V${n}`, ts, event === 'A03' ? ts.slice(0, 8) + '170000' : null),
  ].join('\r') + '\r';
}

/** A stream of traffic: for each patient A04, then A08, then A03, patients interleaved. */
export function* adtStream(patients: number, firstPatient = 1, app = 'SYNADT'): Generator<{ n: number; event: 'A04' | 'A08' | 'A03'; controlId: string; text: string }> {
  for (const event of ['A04', 'A08', 'A03'] as const) {
    for (let n = firstPatient; n < firstPatient + patients; n++) {
      const controlId = `${event}-${n}`;
      yield { n, event, controlId, text: adtMessage(n, event, controlId, app) };
    }
  }
}
