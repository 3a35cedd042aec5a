import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { hold } from './pipeline.js';

/**
 * Write-behind for append-only rows: inside `withWriteBehind(trx, fn)`, rows given to `insertRows` are held and
 * written when `fn` has finished — all tables in ONE statement (data-modifying CTEs, each table's rows through
 * `jsonb_to_recordset`), still inside the transaction, so they commit or roll back with it. Outside such a scope `insertRows`
 * writes at once. Work that writes a few rows to many tables (an HL7 message: its patient's version, the encounter
 * event, the message, the audit events) saves a round trip per table; on two cores each one costs both processes
 * more CPU than the statement itself.
 *
 * Only for tables whose rows nobody reads back before the scope ends; a module that reads one of them inside a
 * transaction calls `flushRows(trx)` first. Each module still names only its own tables and columns.
 */
export interface DeferredTable {
  /** The table. */
  readonly table: string;
  /** Its columns as written, with their PostgreSQL types (the rows travel as one JSON array). */
  readonly columns: readonly (readonly [string, string])[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;

const scopes = new WeakMap<object, Map<DeferredTable, Record<string, unknown>[]>>();

/** One table's insert from parameter `$n`: the rows as one JSON array (JSON.stringify and PostgreSQL's JSON parser
 * are both native code; pg's array literals escape every value in JavaScript, a quarter of the intake's CPU). */
function insertText(t: DeferredTable, n: number): string {
  const cols = t.columns.map(([c]) => c).join(', ');
  return `insert into ${t.table} (${cols}) select ${cols} from jsonb_to_recordset($${n}::jsonb) as x(${t.columns.map(([c, type]) => `${c} ${type}`).join(', ')})`;
}

/** The rows as one JSON array; a jsonb column's value is given as the value (an object, an array) or as JSON text (parsed here). */
function rowsJson(t: DeferredTable, rows: readonly Record<string, unknown>[]): string {
  const json = t.columns.filter(([, type]) => type === 'jsonb').map(([c]) => c);
  if (json.length === 0) return JSON.stringify(rows);
  return JSON.stringify(rows.map((r) => {
    const out = { ...r };
    for (const c of json) if (typeof out[c] === 'string') out[c] = JSON.parse(out[c]);
    return out;
  }));
}

/** The statement writing several tables' rows (one text per combination of tables: it can be prepared). */
export function writeStatement(parts: readonly (readonly [DeferredTable, readonly Record<string, unknown>[]])[]): { text: string; values: unknown[] } {
  const texts: string[] = [];
  const values: unknown[] = [];
  for (const [t, rows] of parts) {
    texts.push(insertText(t, values.length + 1));
    values.push(rowsJson(t, rows));
  }
  const text = texts.length === 1 ? texts[0]! : `with ${texts.slice(0, -1).map((s, i) => `w${i} as (${s})`).join(', ')} ${texts[texts.length - 1]!}`;
  return { text, values };
}

/** Inserts rows into an append-only table: held until the end of the scope, or written now when there is none. */
export async function insertRows(db: AnyDb, table: DeferredTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const held = scopes.get(db);
  if (held) {
    const list = held.get(table);
    if (list) list.push(...rows);
    else held.set(table, [...rows]);
    return;
  }
  const s = writeStatement([[table, rows]]);
  await db.executeQuery(CompiledQuery.raw(s.text, s.values));
}

/** The statement that writes what the scope holds now, which it then no longer holds (null: nothing held). For a pipeline. */
export function takeHeldRows(db: AnyDb): CompiledQuery | null {
  const held = scopes.get(db);
  if (!held || held.size === 0) return null;
  const parts = [...held.entries()];
  held.clear();
  const s = writeStatement(parts);
  return CompiledQuery.raw(s.text, s.values);
}

/**
 * Writes what the scope holds now, before reading a held table back: inside a transaction the statement is held
 * (`hold`) and goes with the read that follows, in one round trip.
 */
export async function flushRows(db: AnyDb): Promise<void> {
  const q = takeHeldRows(db);
  if (q) await hold(db, q);
}

/** Runs `fn` with appends to held tables deferred to its end (nested scopes join the outer one). */
export async function withWriteBehind<T>(db: AnyDb, fn: () => Promise<T>): Promise<T> {
  if (scopes.has(db)) return fn();
  scopes.set(db, new Map());
  try {
    const result = await fn();
    await flushRows(db);
    return result;
  } finally {
    scopes.delete(db);
  }
}
