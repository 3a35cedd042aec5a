import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnchor, writeAnchor } from './anchor.js';
import { canonical, contentHash, GENESIS_HASH, linkHash, macMatches, recordMac, type AuditRecord } from './event.js';
import { csvCell, sortColumn } from './report.js';

const record: AuditRecord = {
  eventUuid: '6f1c1f5e-8f0a-4a57-9d7e-3b0c2f1d9a10', occurredAt: new Date('2026-12-01T10:00:00.123Z'), userId: null,
  username: 'jdoe', onBehalfOf: null, patientId: 'P1', action: 'read', category: 'clinical', resourceType: 'Patient',
  resourceId: 'P1', sourceIp: '10.0.0.5', channel: 'web', outcome: 'success', reason: null, breakGlass: false, details: null,
};
const key = Buffer.alloc(32, 1);

describe('audit event hashing', () => {
  it('covers every field: changing any one changes the hash and breaks the HMAC', () => {
    const mac = recordMac(key, record);
    expect(macMatches(key, record, mac)).toBe(true);
    const variants: Partial<AuditRecord>[] = [
      { username: 'jdoe2' }, { patientId: 'P2' }, { outcome: 'failure' }, { breakGlass: true }, { reason: '' },
      { occurredAt: new Date('2026-12-01T10:00:00.124Z') }, { details: '{}' }, { sourceIp: null }, { channel: 'api' },
    ];
    for (const v of variants) {
      const changed = { ...record, ...v };
      expect(contentHash(changed)).not.toBe(contentHash(record));
      expect(macMatches(key, changed, mac)).toBe(false);
    }
    expect(macMatches(Buffer.alloc(32, 2), record, mac)).toBe(false);
    expect(macMatches(key, record, 'zz')).toBe(false);
  });

  it('keeps fields apart (no ambiguity from concatenation)', () => {
    const a = canonical({ ...record, username: 'a,b', reason: null });
    const b = canonical({ ...record, username: 'a', reason: 'b' });
    expect(a).not.toBe(b);
  });

  it('chains links: each depends on the previous hash, its position and its event', () => {
    const c = contentHash(record);
    const l1 = linkHash(GENESIS_HASH, 1, 10, c);
    expect(l1).toMatch(/^[0-9a-f]{64}$/);
    expect(linkHash(l1, 2, 11, c)).not.toBe(linkHash(GENESIS_HASH, 2, 11, c));
    expect(linkHash(GENESIS_HASH, 2, 10, c)).not.toBe(l1);
    expect(linkHash(GENESIS_HASH, 1, 11, c)).not.toBe(l1);
  });
});

describe('anchor file', () => {
  it('round-trips and refuses a rewritten anchor', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchor-')), 'a.json');
    expect(readAnchor(file, key)).toEqual({ kind: 'none' });
    const anchor = { seq: 5, eventId: 9, hash: 'ab'.repeat(32), sealedAt: '2026-12-01T00:00:00.000Z' };
    writeAnchor(file, key, anchor);
    expect(readAnchor(file, key)).toEqual({ kind: 'ok', anchor });
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...raw, seq: 3 }));
    expect(readAnchor(file, key).kind).toBe('invalid');
  });
});

describe('audit report helpers', () => {
  it('allows only listed sort fields', () => {
    expect(sortColumn('user')).toBe('username');
    expect(sortColumn(undefined)).toBe('occurred_at');
    for (const bad of ['username', 'time desc', 'constructor', '__proto__', 'toString']) expect(() => sortColumn(bad)).toThrow(/Sort by/);
  });

  it('escapes CSV cells that a spreadsheet would read as formulas', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(false)).toBe('false');
  });
});
