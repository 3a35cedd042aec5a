/**
 * Resolves the alphabetic index's "see" / "see also" references to the codes of the term they point to, so
 * that the referring wording ("Attack, heart — see Infarct, myocardium") leads to those codes as well.
 * "See category" references lead to the whole category. References that name no single term ("see
 * condition", "see Neoplasm, malignant, by site") stay unresolved.
 */
import type { IndexPath } from '../model.js';
import type { IndexCrossRef } from '../xml/index-terms.js';
import { crossRefParts } from './describe.js';
import { stems } from './text.js';

export interface ResolvedCrossRef {
  /** The referring path as printed, e.g. ["Attack, attacks", "heart"]. */
  path: string[];
  /** The wording of the target, e.g. "Infarct, myocardium" or "category I69". */
  target: string;
  /** Codes of the target term (no dots; a trailing "-" for a whole category), with the target's path. */
  codes: { code: string; path: string[] }[];
}

interface Node {
  elements: Set<string>[];
  code: string;
  path: string[];
}

function elementStems(element: string): Set<string> {
  return new Set(stems(element.replace(/[()]/g, ' ')));
}

/**
 * How many elements the target skips to name this path (-1: it does not). The first part(s) name the main
 * term, the last part the path's last element, the others elements in between in order ("Fracture, femur,
 * neck" names "Fracture, traumatic › femur, femoral › upper end › neck", skipping one).
 */
function fits(part: readonly string[], el: ReadonlySet<string>): boolean {
  for (const s of part) if (!el.has(s)) return false;
  return true;
}

function skipped(parts: readonly string[][], node: Node, mainTakes: number): number {
  const els = node.elements;
  const rest = parts.length - mainTakes;
  if (rest < 0 || els.length - 1 < rest || (rest === 0 && els.length !== 1)) return -1;
  for (let i = 0; i < mainTakes; i++) if (!fits(parts[i]!, els[0]!)) return -1;
  if (rest === 0) return 0;
  if (!fits(parts[parts.length - 1]!, els[els.length - 1]!)) return -1;
  let e = 1;
  for (let i = mainTakes; i < parts.length - 1; i++) {
    while (e < els.length - 1 && !fits(parts[i]!, els[e]!)) e++;
    if (e >= els.length - 1) return -1;
    e++;
  }
  return els.length - 1 - rest;
}

export function resolveCrossRefs(paths: readonly (IndexPath & { plainPath?: string[] })[], refs: readonly IndexCrossRef[]): ResolvedCrossRef[] {
  if (refs.length === 0) return [];
  // Paths grouped by the first word of their main term.
  const byHead = new Map<string, Node[]>();
  for (const p of paths) {
    const els = p.plainPath ?? p.path;
    const head = stems(els[0] ?? '')[0];
    if (head === undefined) continue;
    const list = byHead.get(head) ?? [];
    list.push({ elements: els.map(elementStems), code: p.code, path: p.path });
    byHead.set(head, list);
  }
  const out: ResolvedCrossRef[] = [];
  for (const ref of refs) {
    const category = ref.seeCategory ?? ref.seeSubcategory;
    if (category !== undefined) out.push({ path: ref.path, target: `category ${category}`, codes: [{ code: `${category}-`, path: [] }] });
    for (const target of [ref.see, ref.seeAlso]) {
      if (target === undefined || /\bby\b|\bcondition\b|table of/i.test(target)) continue;
      const parts = crossRefParts(target);
      const head = parts[0]?.[0];
      const candidates = head === undefined ? [] : (byHead.get(head) ?? []);
      let codes: Node[] = [];
      for (const mainTakes of [1, 2]) {
        let fewest = Infinity;
        for (const node of candidates) {
          const skip = skipped(parts, node, mainTakes);
          if (skip < 0 || skip > fewest) continue;
          if (skip < fewest) codes = [];
          fewest = skip;
          codes.push(node);
        }
        if (codes.length > 0) break;
      }
      out.push({ path: ref.path, target, codes: codes.map((c) => ({ code: c.code, path: c.path })) });
    }
  }
  return out;
}
