import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';

describe('parseJsonBody', () => {
  it('parses JSON and drops prototype keys', () => {
    expect(parseJsonBody('{"a":[1,{"b":"}]"}]}')).toEqual({ a: [1, { b: '}]' }] });
    const o = parseJsonBody('{"__proto__":{"x":1},"y":2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(o).toEqual({ y: 2 });
  });

  it('counts depth outside strings only', () => {
    const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => parseJsonBody(ok)).not.toThrow();
    expect(() => parseJsonBody(`[${ok}]`)).toThrow(/nest/);
    expect(parseJsonBody(JSON.stringify({ s: '['.repeat(500) + '\\"' }))).toEqual({ s: '['.repeat(500) + '\\"' });
  });

  it('gives MALFORMED_JSON for broken documents', () => {
    expect(() => parseJsonBody('{')).toThrow(expect.objectContaining({ code: 'MALFORMED_JSON' }));
  });
});
