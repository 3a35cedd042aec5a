import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '../errors/app-error.js';
import { RUNTIME_ROLE } from './database.js';

/** A module's migrations: plain `NNNN_name.sql` files in one folder, applied in name order. */
export interface MigrationSource {
  module: string;
  dir: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

const LOCK_KEY = 724_007_001;

function readMigrations(source: MigrationSource): { name: string; sql: string; checksum: string }[] {
  if (!fs.existsSync(source.dir)) return [];
  return fs
    .readdirSync(source.dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(source.dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies every pending migration, each in its own transaction, under an advisory lock so that two
 * processes starting at once do not race. An applied migration whose file changed stops everything.
 * Afterwards the runtime role gets its grants: all tables read/write, except those whose table comment
 * contains `@append-only` (SELECT, INSERT only) or `@read-only` (SELECT only).
 */
export async function migrate(pool: pg.Pool, sources: MigrationSource[]): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migration (
      module text not null, name text not null, checksum text not null,
      applied_at timestamptz not null default now(), primary key (module, name))`);
    await client.query(`comment on table schema_migration is '@read-only applied migrations'`);
    const done = await client.query<{ module: string; name: string; checksum: string }>(
      'select module, name, checksum from schema_migration',
    );
    const known = new Map(done.rows.map((r) => [`${r.module}/${r.name}`, r.checksum]));
    const applied: string[] = [];
    let alreadyApplied = 0;
    for (const source of sources) {
      for (const m of readMigrations(source)) {
        const key = `${source.module}/${m.name}`;
        const previous = known.get(key);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new AppError('MIGRATION_CHECKSUM_MISMATCH', `migration ${key} was changed after it was applied`);
          }
          alreadyApplied++;
          continue;
        }
        try {
          await client.query('begin');
          await client.query(m.sql);
          await client.query('insert into schema_migration (module, name, checksum) values ($1, $2, $3)', [
            source.module,
            m.name,
            m.checksum,
          ]);
          await client.query('commit');
          applied.push(key);
        } catch (cause) {
          await client.query('rollback').catch(() => undefined);
          const msg = (cause as Error).message;
          throw new AppError('MIGRATION_FAILED', `migration ${key} failed: ${msg}`, { cause });
        }
      }
    }
    await grantRuntime(client);
    return { applied, alreadyApplied };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

async function grantRuntime(client: pg.PoolClient): Promise<void> {
  await client.query(`grant usage on schema public to ${RUNTIME_ROLE}`);
  await client.query(`grant select, insert, update, delete on all tables in schema public to ${RUNTIME_ROLE}`);
  await client.query(`grant usage, select on all sequences in schema public to ${RUNTIME_ROLE}`);
  const tables = await client.query<{ name: string; note: string | null }>(`
    select c.relname as name, obj_description(c.oid, 'pg_class') as note
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')`);
  for (const t of tables.rows) {
    const id = client.escapeIdentifier(t.name);
    if (t.note?.includes('@append-only')) {
      await client.query(`revoke update, delete, truncate on ${id} from ${RUNTIME_ROLE}`);
    } else if (t.note?.includes('@read-only')) {
      await client.query(`revoke insert, update, delete, truncate on ${id} from ${RUNTIME_ROLE}`);
    }
  }
}
