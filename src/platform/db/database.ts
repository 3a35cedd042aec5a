import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors/app-error.js';
import { runPipelines } from './pipeline.js';
import { prepareStatements } from './prepared.js';

/** The role every request runs as. It has no UPDATE or DELETE on append-only tables (the audit trail). */
export const RUNTIME_ROLE = 'chartroom_app';

// bigint (int8) columns come back as strings by default; counts and ids fit in a JS number here.
pg.types.setTypeParser(20, (v) => Number(v));
// `date` stays a calendar string (YYYY-MM-DD), never shifted through a time zone.
pg.types.setTypeParser(1082, (v) => v);

/**
 * The database handle handed to services. `app` connects as the owner but runs every statement as the
 * runtime role (`-c role=…` at connection start), so privileges, not code, keep audit rows append-only.
 * `owner` is for migrations and administrative checks only.
 */
export interface Database<DB = unknown> {
  app: Kysely<DB>;
  appPool: pg.Pool;
  ownerPool: pg.Pool;
  close(): Promise<void>;
}

export function openDatabase<DB>(ownerUrl: string, opts: { max?: number; preparedStatements?: boolean } = {}): Database<DB> {
  const prepared = opts.preparedStatements ?? true;
  const appPool = new pg.Pool({
    connectionString: ownerUrl,
    max: opts.max ?? 20,
    options: `-c role=${RUNTIME_ROLE} -c statement_timeout=60000${prepared ? ' -c plan_cache_mode=force_custom_plan' : ''}`,
    application_name: 'chartroom',
  });
  appPool.on('connect', (client) => {
    if (prepared) prepareStatements(client);
    runPipelines(client, prepared);
  });
  const ownerPool = new pg.Pool({ connectionString: ownerUrl, max: 3, application_name: 'chartroom-owner' });
  // An idle client that loses its server (database restart) must not crash the process.
  appPool.on('error', () => undefined);
  ownerPool.on('error', () => undefined);
  const app = new Kysely<DB>({ dialect: new PostgresDialect({ pool: appPool }) });
  return {
    app,
    appPool,
    ownerPool,
    async close() {
      await app.destroy().catch(() => undefined);
      await ownerPool.end().catch(() => undefined);
    },
  };
}

/** Creates the runtime role if needed and lets the owner act as it. Roles are cluster-wide, so races are retried. */
export async function ensureRuntimeRole(ownerPool: pg.Pool): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ownerPool.query(`do $$ begin
        if not exists (select from pg_roles where rolname = '${RUNTIME_ROLE}') then
          create role ${RUNTIME_ROLE} nologin;
        end if;
        if not pg_has_role(current_user, '${RUNTIME_ROLE}', 'member') then
          execute format('grant ${RUNTIME_ROLE} to %I', current_user);
        end if;
      end $$`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code === '23505' || code === '42710' || code === 'XX000') && attempt < 5) continue;
      throw new AppError(
        'MIGRATION_FAILED',
        `could not set up the runtime role ${RUNTIME_ROLE}; the database user needs CREATEROLE or an existing ${RUNTIME_ROLE} role granted to it`,
        { cause: error },
      );
    }
  }
}

/** Answers whether the database responds; used by /health. */
export async function ping(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}
