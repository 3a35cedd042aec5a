import { describe, expect, it } from 'vitest';
import { tinyFiles } from './__fixtures__/tiny.js';
import { compileDefinitions } from './compile.js';
import { parseDefinitions } from './definitions.js';
import { group, type GroupOptions } from './group.js';
import { restoreCompiled, serializeCompiled } from './serialize.js';

const c = compileDefinitions(parseDefinitions(tinyFiles()));
const sdx = (...codes: string[]) => codes.map((s) => ({ code: s.split(':')[0]!, poa: s.split(':')[1] ?? 'Y' }));
const run = (pdx: string, sdxCodes: string[] = [], procedures: string[] = [], extra: { sex?: string; status?: string } & GroupOptions = {}) =>
  group(c, { pdx, sdx: sdx(...sdxCodes), procedures, sex: extra.sex ?? 'M', dischargeStatus: extra.status ?? '01' }, extra);

describe('grouping rules (hand-made definitions)', () => {
  it('MCC and CC from secondaries; "CC" is exactly CC', () => {
    expect(run('I5023', ['J9601:Y'])).toMatchObject({ drg: 291, mdc: 5, severity: 'MCC', drgCcMcc: 'MCC', returnCode: 'OK', weight: 1.2345, gmlos: 4.1 });
    expect(run('I5023', ['R001', 'I2101'])).toMatchObject({ drg: 291 });
    expect(run('I5023', ['K7200:Y'], [], { status: '06' }).drg).toBe(291);
    expect(run('I5023', [])).toMatchObject({ drg: 293, severity: 'NON_CC' });
  });

  it('CC exclusion by the PDX list compares the SDX as written (a lower-case SDX is never excluded)', () => {
    const r = run('I5023', ['N179']);
    expect(r).toMatchObject({ drg: 293 });
    expect(r.sdx[0]).toMatchObject({ code: 'N179', flag: 'CC_EXCLUDED' });
    expect(run('I5023', ['n179'])).toMatchObject({ drg: 292 });
    expect(run('i5023', ['N179'])).toMatchObject({ drg: 293 });
  });

  it("severity suppression applies to the row that lists it: the AMI code is not its own MCC", () => {
    const own = run('I2101', ['I2101']);
    expect(own.drg).toBe(282);
    expect(own.sdx[0]).toMatchObject({ flag: 'MCC_EXCLUDED_BY_DRG_LOGIC' });
    expect(run('I2101', ['I2101', 'J9601']).drg).toBe(280);
  });

  it('died: ALIVE is false and mccalive secondaries lose their severity', () => {
    expect(run('I2101', ['J9601'], [], { status: '20' }).drg).toBe(285);
    expect(run('I5023', ['K7200'], [], { status: '20' }).drg).toBe(293);
    expect(run('I5023', ['K7200'], [], { status: '99' }).drg).toBe(291);
  });

  it('clusters: formed only when every choice is present, in the code as written; members suppressed in their MDCs', () => {
    expect(run('I5023', [], ['0JH609Z', '02HK3JZ'])).toMatchObject({ drg: 244, medSurg: 'SURGICAL' });
    expect(run('I5023', ['J9601'], ['02HK3JZ', '0JH609Z']).drg).toBe(242);
    expect(run('I5023', [], ['0JH609Z']).drg).toBe(258);
    expect(run('I5023', [], ['0JH609Z', '02hk3jz']).drg).toBe(258);
    expect(run('I5023', [], ['0JH609Z', '02HK3JZ']).procedures).toEqual([
      { code: '0JH609Z', class: 'OR', impact: 'NONE' },
      { code: '02HK3JZ', class: 'NONOR', impact: 'NONE' },
    ]);
  });

  it('an O.R. procedure no surgical row claims reroutes to 29, keeping the PDX MDC; no row in 29 is CMS failing', () => {
    expect(run('I5023', ['J9601'], ['0DTJ0ZZ'])).toMatchObject({ drg: 981, mdc: 5, medSurg: 'SURGICAL' });
    const none = run('I5023', [], ['0QS000Z']);
    expect(none).toMatchObject({ returnCode: 'NO_MATCHING_ROW', mdc: 0 });
    expect(none.trace.join('\n')).toMatch(/no row of list 29 is true/);
    expect(run('I5023', [], ['XXXXXXX'])).toMatchObject({ drg: 293, procedures: [{ code: 'XXXXXXX', class: 'INVALID', impact: 'NONE' }] });
  });

  it('sex-dependent principal diagnoses: MDC by sex, INVALID_SEX for U — after the pre-MDC DRG rows', () => {
    expect(run('N400', [], [], { sex: 'M' })).toMatchObject({ drg: 729, mdc: 12 });
    expect(run('N400', [], [], { sex: 'F' })).toMatchObject({ drg: 742, mdc: 13 });
    expect(run('N400', [], [], { sex: 'U' })).toMatchObject({ drg: 999, mdc: 0, returnCode: 'INVALID_SEX', medSurg: 'NONE', severity: 'NONE' });
    expect(run('N400', [], ['5A1522F'], { sex: 'U' })).toMatchObject({ drg: 3, mdc: 13, returnCode: 'OK' });
  });

  it('invalid and external-cause principal diagnoses; dots are invalid unless stripped', () => {
    expect(run('I50.23')).toMatchObject({ drg: 999, mdc: 0, returnCode: 'INVALID_PDX' });
    expect(run('I50.23', ['J96.01'], [], { stripDots: true })).toMatchObject({ drg: 291, returnCode: 'OK' });
    expect(run('')).toMatchObject({ returnCode: 'INVALID_PDX' });
    expect(run('V0001XA')).toMatchObject({ returnCode: 'DX_CANNOT_BE_PDX' });
    expect(run('v0001xa')).toMatchObject({ returnCode: 'DX_CANNOT_BE_PDX' });
  });
});

describe('HAC (POA) processing', () => {
  it('a HAC not present on admission loses its severity in the final grouping', () => {
    const r = run('I5023', ['S0990XA:N']);
    expect(r).toMatchObject({ drg: 293, initial: { drg: 292, returnCode: 'OK' }, hacStatus: 'FINAL_DRG_CHANGES', returnCode: 'OK' });
    expect(r.hacs).toEqual([{ code: 'S0990XA', hac: 5, status: 'HAC_CRITERIA_MET' }]);
    expect(run('I5023', ['S0990XA:Y'])).toMatchObject({ drg: 292, hacStatus: 'NOT_APPLICABLE', hacs: [{ hac: 0, status: 'HAC_CRITERIA_NOT_MET' }] });
    expect(run('I5023', ['S0990XA:W']).drg).toBe(292);
  });

  it('an unusable POA (blank, 1, E, invalid) on a met HAC makes the claim ungroupable; the initial DRG stays', () => {
    for (const poa of ['', '1', 'E', 'X']) {
      expect(run('I5023', [`S0990XA:${poa}`])).toMatchObject({ drg: 999, mdc: 0, returnCode: 'HAC_MISSING_ONE_POA', hacStatus: 'FINAL_DRG_UNGROUPABLE', initial: { drg: 292 } });
    }
  });

  it('the hospital status: exempt skips HAC processing', () => {
    expect(run('I5023', ['S0990XA:N'], [], { hospital: 'exempt' })).toMatchObject({ drg: 292, hacStatus: 'NOT_APPLICABLE' });
    expect(run('I5023', ['S0990XA:N'], [], { hospital: 'unknown' }).returnCode).toBe('HAC_STATUS_INVALID_POA_N_OR_U');
  });

  it('HAC 6: the UTI code counts only with a catheter code that met HAC 6; its missing-POA rule looks at those codes only', () => {
    expect(run('I5023', ['T83511A:N', 'N390:N'])).toMatchObject({ drg: 293, initial: { drg: 292 }, hacStatus: 'FINAL_DRG_CHANGES' });
    expect(run('I5023', ['T83511A:Y', 'N390:N'])).toMatchObject({ drg: 292, returnCode: 'OK' });
    expect(run('I5023', ['T83511A:N', 'N390:1']).returnCode).toBe('HAC_MISSING_ONE_POA');
    // an unusable POA on another HAC-listed code whose criterion is not met does not matter here
    expect(run('I5023', ['T83511A:N', 'J95811:1'])).toMatchObject({ drg: 291, returnCode: 'OK' });
    // … but does when a HAC other than 6 is met
    expect(run('I5023', ['S0990XA:N', 'J95811:1']).returnCode).toBe('HAC_MISSING_ONE_POA');
    expect(run('I5023', ['J95811:N'], ['0BH17EZ'])).toMatchObject({ drg: 293, initial: { drg: 291 } });
  });

  it('hac11_pdx codes take no part as secondaries (no HACnn entry)', () => {
    expect(run('I5023', ['E6601:1'])).toMatchObject({ returnCode: 'OK', hacs: [] });
  });
});

describe('trace and serialised form', () => {
  it('reads like a coder would say it', () => {
    const t = run('I5023', ['J9601:Y', 'N179:Y']).trace;
    expect(t).toContain('MDC 05 from I5023');
    expect(t).toContain('MCC J9601 (POA Y) counts — not in the exclusion list of I5023');
    expect(t).toContain('CC N179 excluded: on the CC exclusion list of I5023');
    expect(t.at(-1)).toBe('DRG 291 · MDC 05 · OK');
  });

  it('a restored version groups exactly like the compiled one', () => {
    const restored = restoreCompiled(serializeCompiled(c));
    for (const [pdx, s, p] of [['I5023', ['J9601'], []], ['I2101', ['I2101'], []], ['I5023', [], ['0JH609Z', '02HK3JZ']], ['N400', [], ['5A1522F']]] as const) {
      const claim = { pdx, sdx: sdx(...s), procedures: [...p], sex: 'U', dischargeStatus: '01' };
      expect(group(restored, claim)).toEqual(group(c, claim));
    }
  });
});
