/**
 * Documentation opportunities: which more specific code, or which CC/MCC secondary diagnosis, would change the
 * MS-DRG *if the physician documented it*. Computed by regrouping candidates; never added to the abstract. Pure.
 */
import type { ClaimInput, CompiledGrouper, GroupResult } from '../grouper/engine/index.js';
import type { CompiledDiagnosis } from '../grouper/engine/compiled.js';
import { group } from '../grouper/engine/index.js';

export interface Opportunity {
  kind: 'specificity' | 'secondary';
  /** The coded diagnosis a more specific code would replace (specificity), or null. */
  replaces: string | null;
  code: string;
  severity: 'MCC' | 'CC' | 'NCC';
  drg: number;
  weight: number | null;
  weightChange: number;
}

const SEV = ['NCC', 'CC', 'MCC'] as const;

function diagnosis(g: CompiledGrouper, code: string): CompiledDiagnosis | undefined {
  const i = g.diagnosisTable.find(code);
  return i < 0 ? undefined : g.diagnosisRows.at(i);
}

/**
 * @param siblings - billable codes of the same category/subcategory as a coded diagnosis (from the code set)
 * @param limit - most opportunities returned, best weight gain first
 */
export function opportunities(g: CompiledGrouper, claim: ClaimInput, base: GroupResult, siblings: ReadonlyMap<string, readonly string[]>, targets: readonly string[], limit = 12): Opportunity[] {
  if (base.returnCode !== 'OK') return [];
  const baseWeight = base.weight ?? 0;
  const out = new Map<string, Opportunity>();
  const consider = (kind: Opportunity['kind'], replaces: string | null, code: string, c: ClaimInput): void => {
    const r = group(g, c, { trace: false });
    if (r.returnCode !== 'OK' || r.drg === base.drg) return;
    const gain = (r.weight ?? 0) - baseWeight;
    if (gain <= 0) return;
    const sev = SEV[diagnosis(g, code)?.severity ?? 0] ?? 'NCC';
    const key = `${kind}:${code}`;
    if (!out.has(key)) out.set(key, { kind, replaces, code, severity: sev, drg: r.drg, weight: r.weight, weightChange: Math.round(gain * 10000) / 10000 });
  };
  // 1. More specific codes of what is coded (the principal, then each secondary).
  for (const [coded, sibs] of siblings) {
    for (const s of sibs) {
      if (s === coded) continue;
      if (coded === claim.pdx) consider('specificity', coded, s, { ...claim, pdx: s });
      else consider('specificity', coded, s, { ...claim, sdx: claim.sdx.map((d) => (d.code === coded ? { ...d, code: s } : d)) });
    }
  }
  // 2. A CC or MCC secondary the record might support: the conditions CDI programmes query for (data), then one
  // code of each severity of the principal's own MDC. The grouper's own tables decide (exclusions included).
  const have = new Set([claim.pdx, ...claim.sdx.map((d) => d.code)]);
  for (const code of targets) {
    if (!have.has(code) && (diagnosis(g, code)?.severity ?? 0) > 0) consider('secondary', null, code, { ...claim, sdx: [...claim.sdx, { code, poa: 'Y' }] });
  }
  const pdx = diagnosis(g, claim.pdx);
  if (pdx) {
    const probed = new Set<number>();
    for (const d of g.diagnosisRows) {
      if (d.severity === 0 || probed.has(d.severity) || d.mdc !== pdx.mdc || have.has(d.code) || pdx.exclusions?.has(d.index)) continue;
      probed.add(d.severity);
      consider('secondary', null, d.code, { ...claim, sdx: [...claim.sdx, { code: d.code, poa: 'Y' }] });
    }
  }
  return [...out.values()].sort((a, b) => b.weightChange - a.weightChange || a.code.localeCompare(b.code)).slice(0, limit);
}
