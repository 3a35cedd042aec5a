// Excludes conflicts between a search result and the codes picked so far (pure). A result conflicts with a
// picked code when one's Excludes1 (or Excludes2) note points at the other: Excludes1 — never coded
// together; Excludes2 — not part of the condition, both may be coded when both are present.
import type { CodeRange, ExcludesNote, SearchHit } from './types';

export interface PickedCode {
  code: string;
  system: string;
  title: string;
  excludes: ExcludesNote[];
}

export interface Conflict {
  kind: 'excludes1' | 'excludes2';
  /** The picked code the result conflicts with. */
  with: string;
  /** The note that says so, and the code it sits at. */
  note: ExcludesNote;
}

const bare = (code: string): string => code.toUpperCase().replace(/\./g, '').replace(/-$/, '');

/** Whether a code lies in one of the ranges (by its first characters, as the tabular's "A04.7-" or "O10-O11"). */
export function inRanges(code: string, refs: readonly CodeRange[]): boolean {
  const c = bare(code);
  return refs.some((r) => c.slice(0, r.from.length) >= r.from && c.slice(0, r.to.length) <= r.to);
}

/** The conflicts of one result with the picked codes, Excludes1 first; a picked code itself is no conflict. */
export function conflictsOf(hit: SearchHit, picked: readonly PickedCode[]): Conflict[] {
  if (hit.system !== 'icd10cm') return [];
  const out: Conflict[] = [];
  for (const p of picked) {
    if (p.system !== 'icd10cm' || bare(p.code) === bare(hit.code)) continue;
    const mine = (hit.excludes?.notes ?? []).filter((n) => inRanges(p.code, n.refs));
    const theirs = p.excludes.filter((n) => inRanges(hit.code, n.refs));
    for (const kind of ['excludes1', 'excludes2'] as const) {
      const note = [...mine, ...theirs].find((n) => n.kind === kind);
      if (note) {
        out.push({ kind, with: p.code, note });
        break;
      }
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind));
}
