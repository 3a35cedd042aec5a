/**
 * Turns the texts that describe a code (title, inclusion term, index path) into the token lists the encoder
 * indexes: required tokens (with their default flag) and optional ones — what the classification prints in
 * parentheses (nonessential modifiers) and the spelling variants of an index term ("Asthma, asthmatic").
 */
import { stems, titleTokens, type TitleToken } from './text.js';

export interface Described {
  required: TitleToken[];
  optional: string[];
}

const PARENS = /[([]([^)\]]*)[)\]]/g;

/** A title or note: words in parentheses or brackets are optional ("Essential (primary) hypertension"). */
export function describeText(text: string, pcs = false): Described {
  const optional = [...text.matchAll(PARENS)].flatMap((m) => stems(m[1] ?? ''));
  return { required: titleTokens(text.replace(PARENS, ' '), pcs), optional };
}

/** True when two words look like variants of one term (asthma/asthmatic, femur/femoral, attack/attacks). */
function variant(a: string, b: string): boolean {
  return a.length >= 3 && b.length >= 3 && a.slice(0, 3) === b.slice(0, 3);
}

/**
 * One element of an index path, as printed (with its nonessential modifiers in parentheses). Its comma
 * parts that are variants of the first word are optional ("Infarct, infarction"); other parts are
 * qualifiers and stay required ("Fracture, pathological"). The result is cached and must not be changed.
 */
const elementCache = new Map<string, Described>();

export function describeIndexElement(element: string): Described {
  // Index elements repeat a lot ("Diabetes, diabetic (mellitus) (sugar)" heads thousands of paths).
  const cached = elementCache.get(element);
  if (cached) return cached;
  const out: Described = { required: [], optional: [] };
  const parts = element.split(/,\s*/);
  const head = stems((parts[0] ?? '').replace(PARENS, ' '))[0] ?? '';
  parts.forEach((part, i) => {
    const d = describeText(part);
    out.optional.push(...d.optional);
    const single = d.required.length === 1 ? d.required[0] : undefined;
    if (i > 0 && single && variant(single.stem, head)) out.optional.push(single.stem);
    else out.required.push(...d.required);
  });
  if (elementCache.size < 100_000) elementCache.set(element, out);
  return out;
}

/** A whole index path: the concatenation of its elements. */
export function describeIndexPath(path: readonly string[]): Described {
  const out: Described = { required: [], optional: [] };
  for (const element of path) {
    const d = describeIndexElement(element);
    out.required.push(...d.required);
    out.optional.push(...d.optional);
  }
  return out;
}

/** The stems of the words of a cross-reference target ("Infarct, myocardium") in order, per comma part. */
export function crossRefParts(target: string): string[][] {
  return target
    .split(/,\s*/)
    .map((p) => stems(p.replace(PARENS, ' ')))
    .filter((p) => p.length > 0);
}
