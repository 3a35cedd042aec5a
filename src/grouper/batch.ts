import { isAppError } from '../platform/errors/app-error.js';
import { claimColumns, parseClaimLine, type ClaimColumns } from './claims-tsv.js';
import type { CompiledGrouper } from './engine/compiled.js';
import { group } from './engine/group.js';
import { resultLine, RESULT_COLUMNS } from './result-tsv.js';
import { pickVersion } from './choose.js';
import type { VersionRow } from './store.js';

export const RESULT_HEADER = `${RESULT_COLUMNS.join('\t')}\n`;

/** Limits that keep one hostile line from exhausting memory or time. */
export const MAX_LINE_CHARS = 1 << 20;

export interface BatchContext {
  versions: readonly VersionRow[];
  compiledFor(row: VersionRow): CompiledGrouper;
  stripDots?: boolean;
}

export interface ChunkResult {
  out: string;
  errors: string[];
  grouped: number;
  /** Claims grouped with a version not in force on their discharge date, by version. */
  outOfForce: Record<string, number>;
}

/** Header of a claims file → its columns, or a message. */
export function readHeader(line: string): { cols: ClaimColumns } | { problem: string } {
  try {
    return { cols: claimColumns(line.replace(/^\ufeff/, '')) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/**
 * Group a chunk of claim lines; a line that cannot be grouped is reported (with its number) and skipped.
 * @param firstLine - the 1-based line number of lines[0]
 */
export function groupChunk(ctx: BatchContext, cols: ClaimColumns, lines: readonly string[], firstLine: number): ChunkResult {
  let out = '';
  const errors: string[] = [];
  const outOfForce: Record<string, number> = {};
  let grouped = 0;
  for (let k = 0; k < lines.length; k++) {
    const text = lines[k] as string;
    const lineNo = firstLine + k;
    if (text === '' || text === '\r') continue;
    if (text.length > MAX_LINE_CHARS) {
      errors.push(`line ${lineNo}: longer than ${MAX_LINE_CHARS} characters`);
      continue;
    }
    const parsed = parseClaimLine(cols, text, lineNo);
    if (!parsed.ok) {
      errors.push(`line ${lineNo}: ${parsed.message}`);
      continue;
    }
    const c = parsed.value;
    try {
      const { row, notice } = pickVersion(ctx.versions, c.version, c.dischargeDate);
      if (notice) outOfForce[row.version] = (outOfForce[row.version] ?? 0) + 1;
      const r = group(ctx.compiledFor(row), c.claim, { trace: false, stripDots: ctx.stripDots ?? false });
      out += `${resultLine(c.id, r)}\n`;
      grouped++;
    } catch (error) {
      if (!isAppError(error)) throw error;
      errors.push(`line ${lineNo} (${c.id.slice(0, 40)}): error ${error.code}: ${error.detail}`);
    }
  }
  return { out, errors, grouped, outOfForce };
}
