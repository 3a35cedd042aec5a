import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './catalogue.js';

describe('docs/errors.md', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (\d{3}) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
    code: m[1]!, status: Number(m[2]), meaning: m[3]!.trim(), resolve: m[4]!.trim(),
  }));

  it('lists every code of the catalogue with its status and how to resolve it, and no other', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
    for (const r of rows) {
      expect(ERROR_CATALOGUE[r.code as keyof typeof ERROR_CATALOGUE].status, r.code).toBe(r.status);
      expect(r.resolve.length, r.code).toBeGreaterThan(10);
    }
  });
});
