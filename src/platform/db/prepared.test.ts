import { describe, expect, it } from 'vitest';
import { MAX_NAMED, statementName } from './prepared.js';

describe('statement names', () => {
  it('one text, one name; another text, another name', () => {
    const a = statementName('select * from patient where id = $1', 1);
    expect(a).toMatch(/^cr_[0-9a-f]{24}$/);
    expect(statementName('select * from patient where id = $1', 1)).toBe(a);
    expect(statementName('select * from encounter where id = $1', 1)).not.toBe(a);
  });

  it('statements without parameters (possibly several commands), huge texts and long parameter lists stay unnamed', () => {
    expect(statementName('begin', 0)).toBeNull();
    expect(statementName('create table t (x int); insert into t values (1)', 0)).toBeNull();
    expect(statementName(`select ${'1,'.repeat(5000)}$1`, 1)).toBeNull();
    expect(statementName('select * from t where id in ($1…)', 201)).toBeNull();
  });

  it('names at most MAX_NAMED distinct texts per process, and keeps the names it gave', () => {
    const first = statementName('select $1::int as keep', 1);
    for (let i = 0; i < MAX_NAMED + 50; i++) statementName(`select $1::int + ${i}`, 1);
    expect(statementName('select $1::int + 999999', 1)).toBeNull();
    expect(statementName('select $1::int as keep', 1)).toBe(first);
  });
});
