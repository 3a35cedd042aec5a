import { describe, expect, it } from 'vitest';
import { chooseRelease, effectiveTo, type ReleaseInfo } from './versions.js';

const r = (id: number, system: string, fiscalYear: number, effectiveFrom: string, kind: string): ReleaseInfo => ({ id, system, fiscalYear, effectiveFrom, kind, label: `${system} ${fiscalYear} ${kind}` });
const all = [
  r(1, 'icd10cm', 2025, '2024-10-01', 'october'),
  r(2, 'icd10cm', 2025, '2025-04-01', 'april'),
  r(3, 'icd10cm', 2026, '2025-10-01', 'october'),
  r(4, 'icd10cm', 2017, '2016-10-01', 'xml'),
  r(5, 'hcpcs', 2025, '2025-10-01', 'quarterly'),
  r(6, 'hcpcs', 2019, '2019-01-01', 'annual'),
];

describe('chooseRelease', () => {
  it('picks the release in force on a date', () => {
    expect(chooseRelease(all, 'icd10cm', '2024-10-01')?.release.id).toBe(1);
    expect(chooseRelease(all, 'icd10cm', '2025-03-31')?.release.id).toBe(1);
    expect(chooseRelease(all, 'icd10cm', '2025-04-01')?.release.id).toBe(2);
    expect(chooseRelease(all, 'icd10cm', '2026-09-30')).toMatchObject({ release: { id: 3 }, inForce: true, notice: null });
    expect(chooseRelease(all, 'icd10cm', '2017-05-01')?.release.id).toBe(4);
    expect(chooseRelease(all, 'hcpcs', '2025-12-31')?.release.id).toBe(5);
    expect(chooseRelease(all, 'hcpcs', '2019-06-01')?.release.id).toBe(6);
  });

  it('falls back to the newest release, visibly, when none is in force', () => {
    const c = chooseRelease(all, 'icd10cm', '2026-12-01')!;
    expect(c.release.id).toBe(3);
    expect(c.inForce).toBe(false);
    expect(c.notice).toMatch(/No loaded .* in force on 2026-12-01; using the newest loaded release/);
    expect(chooseRelease(all, 'hcpcs', '2026-12-01')?.inForce).toBe(false);
    expect(chooseRelease(all, 'icd10cm', '2010-01-01')?.inForce).toBe(false);
    expect(chooseRelease(all, 'icd10pcs', '2025-01-01')).toBeNull();
  });

  it('ends a release the day before the next one or at the end of its fiscal year', () => {
    expect(effectiveTo(all, all[0]!)).toBe('2025-03-31');
    expect(effectiveTo(all, all[1]!)).toBe('2025-09-30');
    expect(effectiveTo(all, all[3]!)).toBe('2017-09-30');
    expect(effectiveTo(all, all[4]!)).toBe('2025-12-31');
  });
});
