import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_ROLE } from '../../src/platform/db/database.js';
import { hold, pipeline, pipelinedTransaction } from '../../src/platform/db/pipeline.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// Pipelines and held writes on the real pool (node-postgres under Kysely): several statements in one round trip,
// meaning exactly what they mean one at a time.
let t: TestPlatform;
let db: Kysely<never>;

beforeAll(async () => {
  t = await startTestPlatform();
  await t.sql('create table pl_probe (id bigint generated always as identity, k text not null unique, v int)');
  await t.sql(`grant select, insert, update on pl_probe to ${RUNTIME_ROLE}`);
  db = t.platform.db.app as unknown as Kysely<never>;
});
afterAll(async () => {
  await t?.close();
});

const insert = (k: string, v: number) => sql`insert into pl_probe (k, v) values (${k}, ${v})`;
const count = (prefix: string) => sql`select count(*)::int as n from pl_probe where k like ${`${prefix}%`}`;
const rowsOf = async (prefix: string) => (await t.sql('select k, v from pl_probe where k like $1 order by id', [`${prefix}%`])).rows;

describe('a pipeline', () => {
  it('answers each statement in order, each one seeing what the previous ones did; texts are prepared once per connection', async () => {
    const out = await db.connection().execute(async (c) => {
      const first = await pipeline(c, [insert('a1', 1), count('a'), insert('a2', 2), count('a'), CompiledQuery.raw('select 7 as seven')]);
      const again = await pipeline(c, [insert('a3', 3), count('a')]);
      const prepared = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like 'insert into pl_probe%'`.execute(c);
      return { first, again, prepared: prepared.rows[0]!.n };
    });
    expect(out.first).toEqual([[], [{ n: 1 }], [], [{ n: 2 }], [{ seven: 7 }]]);
    expect(out.again).toEqual([[], [{ n: 3 }]]);
    expect(out.prepared).toBe(1);
  });

  it('stops at a failing statement and rejects with its error, keeping nothing; the connection goes on, the failed pipeline\'s texts included', async () => {
    await db.connection().execute(async (c) => {
      await expect(pipeline(c, [insert('b1', 1), sql`select 1 / ${0}::int as boom`, insert('b2', 2)])).rejects.toThrow(/division by zero/);
      // outside a transaction the pipeline is one transaction of its own: the first insert went with the error
      expect(await rowsOf('b')).toEqual([]);
      expect(await pipeline(c, [sql`select 1 / ${1}::int as fine`, insert('b3', 3)])).toEqual([[{ fine: 1 }], []]);
    });
    expect(await rowsOf('b')).toEqual([{ k: 'b3', v: 3 }]);
  });

  it('knows which texts it left prepared when a statement failed after its own text was parsed', async () => {
    await db.connection().execute(async (c) => {
      const divide = (by: number) => sql<{ q: number }>`select 10 / ${by}::int as q`;
      await expect(pipeline(c, [divide(0)])).rejects.toThrow(/division by zero/);
      // the same text, now sent one statement at a time (a named statement): it is not parsed a second time
      expect((await divide(2).execute(c)).rows).toEqual([{ q: 5 }]);
      expect(await pipeline(c, [divide(5)])).toEqual([[{ q: 2 }]]);
    });
  });

  it('refuses a parameter it cannot send before anything is written', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await db.connection().execute(async (c) => {
      await expect(pipeline(c, [insert('c1', 1), sql`select ${cyclic}::jsonb as j`])).rejects.toThrow(/circular/i);
      expect(await pipeline(c, [count('c')])).toEqual([[{ n: 0 }]]);
    });
  });
});

describe('a pipelined transaction', () => {
  it('commits with its last pipeline, handing the first one\'s reads to the work', async () => {
    const result = await pipelinedTransaction(
      db,
      () => [{ statement: count('d'), decode: (rows: Record<string, unknown>[]) => Number(rows[0]!.n) }] as const,
      async (trx, [before]) => {
        await sql`insert into pl_probe (k, v) values ('d1', ${before})`.execute(trx);
        return { last: [insert('d2', before + 1), null], result: before };
      },
    );
    expect(result).toBe(0);
    expect(await rowsOf('d')).toEqual([{ k: 'd1', v: 0 }, { k: 'd2', v: 1 }]);
  });

  it('keeps nothing when the work or the last pipeline fails', async () => {
    await expect(pipelinedTransaction(db, () => [] as const, async (trx) => {
      await insert('e1', 1).execute(trx);
      throw new Error('work failed');
    })).rejects.toThrow('work failed');
    await expect(pipelinedTransaction(db, () => [] as const, async (trx) => {
      await insert('e2', 1).execute(trx);
      return { last: [insert('e3', 1), insert('e3', 2)], result: null }; // the second e3 breaks the unique key
    })).rejects.toThrow(/unique|duplicate/i);
    expect(await rowsOf('e')).toEqual([]);
    // the pool's connections are clean afterwards
    expect(await pipeline(db, [count('e')])).toEqual([[{ n: 0 }]]);
  });
});

describe('a held write', () => {
  it('goes with the next statement: that statement sees it; COMMIT writes it', async () => {
    await db.transaction().execute(async (trx) => {
      await hold(trx, insert('f1', 1));
      await hold(trx, sql`update pl_probe set v = 10 where k = 'f1'`);
      expect((await count('f').execute(trx)).rows).toEqual([{ n: 1 }]);
      await hold(trx, insert('f2', 2));
    });
    expect(await rowsOf('f')).toEqual([{ k: 'f1', v: 10 }, { k: 'f2', v: 2 }]);
  });

  it('fails the next statement with its own error, and the transaction with it; a ROLLBACK drops what is held', async () => {
    await insert('g0', 0).execute(db);
    await expect(db.transaction().execute(async (trx) => {
      await hold(trx, insert('g0', 1)); // taken
      await count('g').execute(trx);
    })).rejects.toThrow(/unique|duplicate/i);
    await expect(db.transaction().execute(async (trx) => {
      await hold(trx, insert('g1', 1));
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await rowsOf('g')).toEqual([{ k: 'g0', v: 0 }]);
  });

  it('outside a transaction is written at once', async () => {
    await db.connection().execute(async (c) => {
      await hold(c, insert('h1', 1));
      expect(await rowsOf('h')).toEqual([{ k: 'h1', v: 1 }]);
    });
  });
});
