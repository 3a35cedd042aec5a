/**
 * The codes an Excludes1/Excludes2 note points at (pure): the tabular writes them in parentheses, alone,
 * as a list or as a range — "(A04.7-)", "(J09.X3, J10.2, J11.2)", "(A04.0-A04.4)", "(O10-O11)", "(B92)".
 * A reference is a range of code prefixes without dots; a single code is a range of one. A code lies in a
 * reference when its first characters fall between the two ends (so A04.71 is in "A04.7-" and in
 * "A04.0-A04.7", O10.019 in "O10-O11").
 */

export interface CodeRef {
  from: string;
  to: string;
}

const CODE = '[A-Z][0-9][0-9A-Z](?:\\.[0-9A-Z]{0,4})?';
const ITEM = new RegExp(`^(${CODE})-?(?:\\s*-\\s*(${CODE})-?)?$`);

const bare = (code: string): string => code.replace(/\./g, '').replace(/-$/, '');

/** The code references of a note's text, in order, without duplicates. */
export function codeRefs(text: string): CodeRef[] {
  const out: CodeRef[] = [];
  for (const group of text.matchAll(/\(([^()]*)\)/g)) {
    for (const part of group[1]!.split(/,|\bor\b|\band\b/)) {
      const m = ITEM.exec(part.trim().toUpperCase());
      if (!m) continue;
      const from = bare(m[1]!);
      const to = bare(m[2] ?? m[1]!);
      if (!out.some((r) => r.from === from && r.to === to)) out.push({ from, to });
    }
  }
  return out;
}

/** Whether a code (with or without its dot) lies in one of the references. */
export function inRefs(code: string, refs: readonly CodeRef[]): boolean {
  const c = bare(code.toUpperCase());
  return refs.some((r) => c.slice(0, r.from.length) >= r.from && c.slice(0, r.to.length) <= r.to);
}
