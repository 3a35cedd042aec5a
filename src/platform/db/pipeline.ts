import { createRequire } from 'node:module';
import { CompiledQuery, type Kysely, type QueryExecutorProvider, type Transaction } from 'kysely';
import pg from 'pg';
import { statementName } from './prepared.js';

/**
 * Pipelining: several statements sent in ONE write and answered in one reply (the extended protocol's messages for
 * each, then a single Sync), where Kysely and node-postgres would wait for each answer before sending the next.
 * PostgreSQL still runs them one after the other, each with its own snapshot (a statement sees what the previous
 * one did, a lock taken by one holds for the next), so inside a transaction a pipeline means exactly what the same
 * statements sent one at a time mean; if one fails, PostgreSQL skips the rest and the pipeline rejects with that
 * error (the transaction is then aborted, as it would be anyway). Outside a transaction the pipeline is one
 * transaction of its own: all of it or nothing. On a two-core machine each round trip costs
 * both processes a wake-up and a system call: HL7 intake's fixed statements (BEGIN, locks, duplicate check, reads
 * ahead; then the held writes and COMMIT) travel as two pipelines instead of seven round trips and two or three more per message.
 *
 * A statement is one Kysely query (builder or `sql`) or a compiled query; parameterised ones are sent as named
 * statements exactly as `prepareStatements` names them (a text is parsed once per connection).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;
type Statement = { text: string; values: readonly unknown[] };
export type Pipelinable = CompiledQuery | { compile(executor: QueryExecutorProvider): CompiledQuery };

/** A read that can travel in another module's pipeline: its statement, and what to make of its rows. */
export interface Read<T = void> {
  readonly statement: Pipelinable;
  decode(rows: Record<string, unknown>[]): T;
}

/** The keys of `o` whose value is not undefined (what an update's SET writes): the state a held update leaves. */
export function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The statement text the connection hook answers by running the pipeline in its single parameter. */
const PIPELINE_TEXT = '/* chartroom: pipeline */';
/** The statement text the connection hook answers by holding the statement in its single parameter (`hold`). */
const HOLD_TEXT = '/* chartroom: hold */';

/**
 * Holds a write whose answer nobody needs until it is sent with the connection's next statement (read, write,
 * pipeline or COMMIT), in the same pipeline, in the order given: what it means is unchanged (PostgreSQL runs it
 * exactly where it was issued; a statement issued later sees it), only its round trip is shared. If it fails, the
 * next statement fails with its error, and with it the transaction, which is reported only at COMMIT anyway.
 * Outside a transaction the write is sent at once.
 */
export async function hold(db: AnyDb, statement: Pipelinable): Promise<void> {
  const c = 'compile' in statement ? statement.compile(db) : statement;
  await db.executeQuery(CompiledQuery.raw(HOLD_TEXT, [{ text: c.sql, values: c.parameters }]));
}

/** Runs the statements in one round trip on `db`'s connection; resolves with each one's rows, in order. */
export async function pipeline(db: AnyDb, statements: readonly Pipelinable[]): Promise<Record<string, unknown>[][]> {
  if (statements.length === 0) return [];
  const list: Statement[] = statements.map((s) => {
    const c = 'compile' in s ? s.compile(db) : s;
    return { text: c.sql, values: c.parameters };
  });
  const r = await db.executeQuery(CompiledQuery.raw(PIPELINE_TEXT, [list]));
  return r.rows as Record<string, unknown>[][];
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');

/**
 * A transaction in as few round trips as its work allows: BEGIN travels with `first` (the reads to run at its start)
 * and COMMIT with the statements `fn` returns as `last` (the held writes). `fn` gets the connection, bound to the
 * transaction, and what each read made of its rows. If anything fails, the transaction is rolled back.
 */
export async function pipelinedTransaction<DB, T, R extends readonly Read<unknown>[]>(
  db: Kysely<DB>,
  first: (trx: Kysely<DB>) => R,
  fn: (trx: Kysely<DB>, read: { [K in keyof R]: R[K] extends Read<infer V> ? V : never }) => Promise<{ last: readonly (Pipelinable | null)[]; result: T }>,
): Promise<T> {
  return db.connection().execute(async (trx) => {
    try {
      const reads = first(trx);
      const rows = await pipeline(trx, [BEGIN, ...reads.map((r) => r.statement)]);
      const decoded = reads.map((r, k) => r.decode(rows[k + 1]!)) as { [K in keyof R]: R[K] extends Read<infer V> ? V : never };
      const { last, result } = await fn(trx, decoded);
      await pipeline(trx, [...last.filter((s) => s !== null), COMMIT]);
      return result;
    } catch (e) {
      await trx.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw e;
    }
  });
}

interface Connection {
  parsedStatements: Record<string, string | undefined>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(m: { text: string; name: string; types: unknown[] }): void;
  bind(m: { portal: string; statement: string; values: readonly unknown[]; binary: boolean; valueMapper: (v: unknown) => unknown }): void;
  describe(m: { type: 'P'; name: string }): void;
  execute(m: { portal: string }): void;
  close(m: { type: 'S'; name: string }): void;
  sync(): void;
  on(event: 'parseComplete', fn: () => void): void;
  removeListener(event: 'parseComplete', fn: () => void): void;
}
interface Result {
  rows: Record<string, unknown>[];
}
// node-postgres's own Query, extended: it already collects one Result per completed command.
type QueryBase = new (config: { text: string; callback: (err: Error | null, res: Result | Result[]) => void }) => {
  handleReadyForQuery(con: Connection): void;
  handleError(err: Error, con: Connection): void;
};
const Query = (pg as unknown as { Query: QueryBase }).Query;
/** node-postgres's mapping of a JavaScript value to a parameter (dates, buffers, arrays, JSON). */
const toParameter = (createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown }).prepareValue;
const identity = (v: unknown) => v;

class PipelineQuery extends Query {
  /** The named statements this pipeline parses, in order, and how many of its Parse messages PostgreSQL confirmed. */
  private parses: { name: string; text: string }[] = [];
  private confirmed = 0;
  private readonly onParsed = () => void this.confirmed++;

  constructor(
    private readonly statements: readonly Statement[],
    private readonly useNames: boolean,
    callback: (err: Error | null, res: Result | Result[]) => void,
  ) {
    super({ text: PIPELINE_TEXT, callback });
  }

  submit(connection: Connection): Error | null {
    let mapped: unknown[][];
    try {
      // Mapping a value can throw (a cyclic object): before anything is written.
      mapped = this.statements.map((s) => s.values.map((v) => toParameter(v)));
    } catch (e) {
      return e as Error;
    }
    connection.on('parseComplete', this.onParsed);
    connection.stream.cork?.();
    try {
      for (const [k, s] of this.statements.entries()) {
        const name = (this.useNames && statementName(s.text, s.values.length)) || '';
        if (name === '' || connection.parsedStatements[name] !== s.text) {
          // Not known to be on the server: closing a name that does not exist is no error, so close it first.
          if (name !== '') connection.close({ type: 'S', name });
          connection.parse({ text: s.text, name, types: [] });
          this.parses.push({ name, text: s.text });
        }
        connection.bind({ portal: '', statement: name, values: mapped[k]!, binary: false, valueMapper: identity });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  /** The statements PostgreSQL parsed are known on this connection from now on (also when a later one failed). */
  private settle(con: Connection): void {
    con.removeListener('parseComplete', this.onParsed);
    for (const p of this.parses.slice(0, this.confirmed)) if (p.name !== '') con.parsedStatements[p.name] = p.text;
  }

  override handleError(err: Error, con: Connection): void {
    this.settle(con);
    super.handleError(err, con);
  }

  override handleReadyForQuery(con: Connection): void {
    this.settle(con);
    super.handleReadyForQuery(con);
  }
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;
type Client = { query: QueryFn; _txStatus?: string | null; __pipelines?: boolean };

/**
 * Answers `PIPELINE_TEXT` and `HOLD_TEXT` on this client (installed on every pool connection); `named`: use named
 * statements. Held statements go out in front of the connection's next statement, in one pipeline; a ROLLBACK drops them.
 */
export function runPipelines(client: pg.PoolClient, named: boolean): void {
  const target = client as unknown as Client;
  if (target.__pipelines) return;
  const query: QueryFn = target.query.bind(client);
  const held: Statement[] = [];
  const run = (statements: Statement[]) => new Promise<Result[]>((resolve, reject) => {
    query(new PipelineQuery(statements, named, (err, res) => (err ? reject(err) : resolve(Array.isArray(res) ? res : [res]))));
  });
  target.query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (config === PIPELINE_TEXT && Array.isArray(values)) {
      const before = held.splice(0);
      return run([...before, ...(values[0] as Statement[])]).then((results) => ({ command: 'PIPELINE', rowCount: null, rows: results.slice(before.length).map((r) => r.rows) }));
    }
    if (config === HOLD_TEXT && Array.isArray(values)) {
      // Only inside a transaction (its COMMIT or ROLLBACK comes later on this connection); otherwise now.
      if (target._txStatus !== 'T') return run([values[0] as Statement]).then(() => ({ command: 'HOLD', rowCount: null, rows: [] }));
      held.push(values[0] as Statement);
      return Promise.resolve({ command: 'HOLD', rowCount: null, rows: [] });
    }
    if (held.length === 0) return query(config, values, callback);
    if (typeof config === 'string' && /^\s*rollback\s*;?\s*$/i.test(config)) {
      held.length = 0;
      return query(config, values, callback);
    }
    const before = held.splice(0);
    if (typeof config === 'string' && callback === undefined && typeof values !== 'function') {
      return run([...before, { text: config, values: Array.isArray(values) ? values : [] }]).then((results) => results[results.length - 1]);
    }
    // Any other form (a query object, a callback): the held statements first, on their own.
    const cb = (typeof values === 'function' ? values : callback) as ((e: unknown) => void) | undefined;
    if (cb) {
      run(before).then(() => query(config, values, callback), cb);
      return undefined;
    }
    return run(before).then(() => query(config, values));
  };
  target.__pipelines = true;
}
