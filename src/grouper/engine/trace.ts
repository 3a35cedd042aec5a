import type { CompiledGrouper } from './compiled.js';
import type { LoadedClaim } from './claim.js';
import type { GroupResult } from './group.js';
import type { HacResult } from './hac.js';
import { formatFormula } from './formula.js';
import type { PassResult } from './pass.js';
import type { EvalState } from './state.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** A readable account of the grouping, one step per line. */
export function buildTrace(
  c: CompiledGrouper,
  s: EvalState,
  claim: LoadedClaim,
  r: { initial: PassResult; final: PassResult; hac: HacResult | null; result: GroupResult },
): string[] {
  const t: string[] = [];
  const pdx = s.pdxDx;
  if (pdx === null) t.push(`PDX '${claim.pdxCode}' is not a valid code of this version`);
  else if (claim.sexConflict) t.push(`MDC ${pad(claim.pdxMdc, 2)} from ${claim.pdxCode} (sex-dependent, sex unknown: female MDC)`);
  else t.push(`MDC ${pad(claim.pdxMdc, 2)} from ${claim.pdxCode}${pdx.maleMdc !== null ? ` (sex ${claim.sex})` : ''}`);
  for (const u of r.result.sdx) {
    const i = r.result.sdx.indexOf(u);
    const poa = u.poa === '' ? 'blank' : u.poa;
    if (u.severity === 'INVALID') t.push(`SDX ${u.code} is not a valid code: ignored`);
    else if (u.flag === 'MCC' || u.flag === 'CC') {
      t.push(`${u.flag} ${u.code} (POA ${poa}) counts — not in the exclusion list of ${claim.pdxCode}`);
    } else if (u.flag.endsWith('_EXCLUDED')) t.push(`${u.severity} ${u.code} excluded: on the CC exclusion list of ${claim.pdxCode}`);
    else if (u.flag.endsWith('_BY_DRG_LOGIC')) t.push(`${u.severity} ${u.code} does not count for the matched row (severity suppression)`);
    else if (claim.deathExcluded[i]) t.push(`${u.severity} ${u.code} does not count: MCC only when the patient is discharged alive`);
    else if (r.hac?.met.has(i) === true) t.push(`${u.severity} ${u.code} does not count in the final grouping: HAC, not present on admission`);
  }
  for (const cl of s.formed) t.push(`cluster ${cl.id} formed`);
  const pass = (p: PassResult, label: string): void => {
    t.push(`${label}: lists ${p.visited.map((v) => pad(v, 2)).join(' → ')}`);
    if (p.row !== null) t.push(`${label}: row ${pad(p.row.list, 2)}/${p.row.rank} true: ${formatFormula(p.row.formula)}`);
    if (p.kind === 'no-matching-row') t.push(`${label}: no row of list ${pad(p.failedList, 2)} is true (CMS's grouper gives no answer)`);
    else if (p.kind === 'error') t.push(`${label}: ungroupable, ${p.errorCode ?? ''}`);
    else t.push(`${label}: DRG ${pad(p.drg, 3)} ${c.drgs.get(p.drg)?.title ?? ''}`.trimEnd());
  };
  pass(r.initial, 'initial');
  if (r.hac !== null) {
    for (const e of r.hac.evaluations) t.push(`HAC ${pad(e.hac, 2)} ${e.code} (POA ${e.poa === '' ? 'blank' : e.poa}): ${e.status} (${e.reason})`);
    if (r.hac.outcome !== 'NONE') t.push(`HAC: ${r.hac.outcome}`);
    if (r.hac.met.size > 0) pass(r.final, 'final');
  }
  t.push(`DRG ${pad(r.result.drg, 3)} · MDC ${pad(r.result.mdc, 2)} · ${r.result.returnCode}`);
  return t;
}
