import type { CompiledGrouper, CompiledRow, ErrorReturnCode } from './compiled.js';
import { currentRowSeverity, type EvalState } from './state.js';

/** The outcome of one grouping pass (initial or final). */
export interface PassResult {
  kind: 'grouped' | 'error' | 'no-matching-row';
  drg: number;
  mdc: number;
  errorCode: ErrorReturnCode | null;
  /** The row that decided (DRG or error row); null when no row matched. */
  row: CompiledRow | null;
  /** Severity (0 NCC, 1 CC, 2 MCC) at the deciding row. */
  severity: number;
  /** Lists evaluated, in order. */
  visited: number[];
  /** The list where no row matched (kind 'no-matching-row'). */
  failedList: number;
}

function evalList(c: CompiledGrouper, s: EvalState, list: number): CompiledRow | null {
  const rows = c.lists.get(list);
  if (rows === undefined) return null;
  s.useList(list);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as CompiledRow;
    s.rowSuppression = row.suppression;
    s.rowSeverity = -1;
    if (row.test(s)) return row;
  }
  return null;
}

const MAX_REROUTES = 8;

/**
 * One pass over the formula lists: pre-MDC, its reroutes, else the PDX's MDC and its reroutes.
 * The SDX that count toward severity are whatever `s.sdxCounts` says for this pass.
 */
export function runPass(c: CompiledGrouper, s: EvalState, pdxMdc: number): PassResult {
  s.passSeverity = -1;
  const visited: number[] = [0];
  let row = evalList(c, s, 0);
  let list = 0;
  if (row === null) {
    list = pdxMdc;
    visited.push(list);
    row = evalList(c, s, list);
  }
  for (let hops = 0; row !== null && row.kind === 'reroute' && hops < MAX_REROUTES; hops++) {
    list = row.reroute;
    visited.push(list);
    row = evalList(c, s, list);
  }
  if (row === null || row.kind === 'reroute') {
    return { kind: 'no-matching-row', drg: 0, mdc: 0, errorCode: null, row: null, severity: 0, visited, failedList: list };
  }
  const severity = currentRowSeverity(s);
  if (row.kind === 'error') {
    return { kind: 'error', drg: 999, mdc: 0, errorCode: row.errorCode, row, severity, visited, failedList: -1 };
  }
  // result MDC: the last list visited other than pre-MDC and 29, else the PDX's MDC
  let mdc = pdxMdc;
  for (let i = visited.length - 1; i >= 0; i--) {
    const v = visited[i] as number;
    if (v !== 0 && v !== 29) {
      mdc = v;
      break;
    }
  }
  return { kind: 'grouped', drg: row.drg, mdc, errorCode: null, row, severity, visited, failedList: -1 };
}
