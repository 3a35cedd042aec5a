import type { GroupResult } from './engine/group.js';

/** The columns `chartroom group` writes. */
export const RESULT_COLUMNS = ['id', 'drg', 'mdc', 'med_surg', 'severity', 'return_code', 'weight', 'sdx_use'] as const;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** `CODE:FLAG:IMPACT;…` as in the corpus. */
export function sdxUseCell(r: GroupResult): string {
  return r.sdx.map((u) => `${u.code}:${u.flag}:${u.impact}`).join(';');
}

/** `CODE:HAC:STATUS;…` as in the corpus. */
export function hacUseCell(r: GroupResult): string {
  return r.hacs.map((h) => `${h.code}:${h.hac}:${h.status}`).join(';');
}

/** `CODE:CLASS:IMPACT;…` as in the corpus. */
export function procUseCell(r: GroupResult): string {
  return r.procedures.map((p) => `${p.code}:${p.class}:${p.impact}`).join(';');
}

/** One output line (without newline). */
export function resultLine(id: string, r: GroupResult): string {
  const drg = r.returnCode === 'NO_MATCHING_ROW' ? '' : pad(r.drg, 3);
  return [id, drg, pad(r.mdc, 2), r.medSurg, r.severity, r.returnCode, r.weight === null ? '' : r.weight.toFixed(4), sdxUseCell(r)].join('\t');
}

export const pad3 = (n: number): string => pad(n, 3);
export const pad2 = (n: number): string => pad(n, 2);
