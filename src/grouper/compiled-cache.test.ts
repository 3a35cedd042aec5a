import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CompiledCache } from './compiled-cache.js';
import { tinyFiles } from './engine/__fixtures__/tiny.js';
import { RowList, RowSet } from './engine/compiled.js';
import { group } from './engine/group.js';
import { SERIAL_FORMAT } from './engine/serialize.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-cache-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('RowSet and RowList', () => {
  it('RowSet answers membership from a sorted array, whatever order it was given', () => {
    const s = new RowSet([40, 3, 17, 1000, 0]);
    expect([0, 3, 17, 40, 1000].every((r) => s.has(r))).toBe(true);
    expect([1, 2, 16, 18, 39, 41, 999, 1001, -1].some((r) => s.has(r))).toBe(false);
    expect([...s]).toEqual([0, 3, 17, 40, 1000]);
    expect(new RowSet([]).has(0)).toBe(false);
  });

  it('RowList builds a row once, on first read', () => {
    let built = 0;
    const rows = new RowList(5, (i) => {
      built++;
      return { i };
    });
    expect(built).toBe(0);
    expect(rows.at(3)).toBe(rows.at(3));
    expect(built).toBe(1);
    expect([...rows].map((r) => r.i)).toEqual([0, 1, 2, 3, 4]);
    expect(built).toBe(5);
  });
});

describe('compiled cache', () => {
  const row = { contentSha256: 'a'.repeat(64) };
  const claim = { pdx: 'I5023', sdx: [{ code: 'J9601', poa: 'Y' }, { code: 'N179', poa: 'Y' }], procedures: [], sex: 'M', dischargeStatus: '01' };

  it('reads back a version that groups like the freshly compiled one', () => {
    const cache = new CompiledCache(tempDir());
    const compiled = cache.write(row, tinyFiles());
    const read = cache.read(row);
    expect(read).not.toBeNull();
    expect(group(read!, claim)).toEqual(group(compiled, claim));
    expect(cache.read({ contentSha256: 'b'.repeat(64) })).toBeNull();
  });

  it('writing a version removes its files of other formats, and keeps other versions', () => {
    const dir = tempDir();
    const old = path.join(dir, `${row.contentSha256}.f${SERIAL_FORMAT - 1}.bin`);
    const other = path.join(dir, `${'c'.repeat(64)}.f${SERIAL_FORMAT - 1}.bin`);
    fs.writeFileSync(old, 'stale');
    fs.writeFileSync(other, 'another version');
    new CompiledCache(dir).write(row, tinyFiles());
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(row.contentSha256))).toEqual([`${row.contentSha256}.f${SERIAL_FORMAT}.bin`]);
  });

  it('a damaged file reads as a miss, and a cache that cannot be written still compiles', () => {
    const dir = tempDir();
    const cache = new CompiledCache(dir);
    cache.write(row, tinyFiles());
    fs.writeFileSync(path.join(dir, `${row.contentSha256}.f${SERIAL_FORMAT}.bin`), Buffer.from([0xff, 0x0d, 0x00, 0x42]));
    expect(cache.read(row)).toBeNull();
    const blocked = path.join(tempDir(), 'a-file-not-a-folder');
    fs.writeFileSync(blocked, '');
    const unwritable = new CompiledCache(path.join(blocked, 'cache'));
    expect(group(unwritable.write(row, tinyFiles()), claim).drg).toBe(291);
    expect(unwritable.has(row)).toBe(false);
  });
});
