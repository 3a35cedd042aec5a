import { describe, expect, it } from 'vitest';
import { chooseVersion, datingByRule, datingFromReadme, datingProblem } from './versions.js';

describe('grouper version dating', () => {
  it('follows CMS numbering: nn.0 from 1 October, nn.1 from 1 April', () => {
    expect(datingByRule('v43.0')).toEqual({ version: 'v43.0', fiscalYear: 2026, effectiveFrom: '2025-10-01', effectiveTo: '2026-03-31' });
    expect(datingByRule('v42.1')).toEqual({ version: 'v42.1', fiscalYear: 2025, effectiveFrom: '2025-04-01', effectiveTo: '2025-09-30' });
    expect(datingByRule('v43.2')).toBeNull();
    expect(datingByRule('latest')).toBeNull();
  });

  it('reads the windows of a refdata README table and checks them', () => {
    const readme = '| folder | x | discharges | notes |\n| --- |\n| `v44.0/` | V44.0 (FY 2027) | 2026-10-01 … 2027-03-31 | |\n| `v44.1/` | V44.1 (FY 2027 April update) | 2026-04-01 … 2027-09-30 | |';
    const d = datingFromReadme(readme);
    expect(d.get('v44.0')).toEqual({ version: 'v44.0', fiscalYear: 2027, effectiveFrom: '2026-10-01', effectiveTo: '2027-03-31' });
    expect(datingProblem(d.get('v44.0')!)).toBeNull();
    expect(datingProblem(d.get('v44.1')!)).toMatch(/CMS's numbering gives FY 2027 from 2027-04-01/);
  });

  it('chooses by discharge date, else the latest loaded with a notice', () => {
    const vs = [datingByRule('v42.0')!, datingByRule('v42.1')!, datingByRule('v43.0')!];
    expect(chooseVersion(vs, '2025-04-01')?.version.version).toBe('v42.1');
    expect(chooseVersion(vs, '2025-03-31')?.version.version).toBe('v42.0');
    const late = chooseVersion(vs, '2026-12-01');
    expect(late?.version.version).toBe('v43.0');
    expect(late?.inForce).toBe(false);
    expect(late?.notice).toMatch(/latest loaded version, v43.0/);
    expect(chooseVersion([], '2026-01-01')).toBeNull();
  });
});
