/** The DRG formula language (see the refdata README): atoms, `~`, `&`, `|`, parentheses. */

export type AtomPrefix = '' | 'PDX' | 'SDX' | 'ANY' | 'ONLY';

export type Formula =
  | { kind: 'atom'; prefix: AtomPrefix; name: string }
  | { kind: 'not'; arg: Formula }
  | { kind: 'and' | 'or'; left: Formula; right: Formula };

/** A formula that does not parse; `position` is the 0-based character offset. */
export class FormulaSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at character ${position + 1}`);
    this.name = 'FormulaSyntaxError';
    this.position = position;
  }
}

type Token = { type: '(' | ')' | '~' | '&' | '|'; at: number } | { type: 'atom'; text: string; at: number };

const ATOM_CHAR = /[A-Za-z0-9_:@.]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '~' || ch === '&' || ch === '|') {
      tokens.push({ type: ch, at: i });
      i++;
    } else if (ATOM_CHAR.test(ch)) {
      const start = i;
      while (i < source.length && ATOM_CHAR.test(source.charAt(i))) i++;
      tokens.push({ type: 'atom', text: source.slice(start, i), at: start });
    } else {
      throw new FormulaSyntaxError(`unexpected character '${ch}'`, i);
    }
  }
  return tokens;
}

const PREFIXES = new Set<AtomPrefix>(['PDX', 'SDX', 'ANY', 'ONLY']);

function atom(text: string, at: number): Formula {
  const colon = text.indexOf(':');
  if (colon < 0) return { kind: 'atom', prefix: '', name: text };
  const prefix = text.slice(0, colon) as AtomPrefix;
  const name = text.slice(colon + 1);
  if (!PREFIXES.has(prefix) || name === '' || name.includes(':')) throw new FormulaSyntaxError(`bad atom '${text}'`, at);
  return { kind: 'atom', prefix, name };
}

/**
 * Parse a formula. Precedence: `~` tightest, then `&`, then `|`; binary operators are left-associative.
 * @param source - the formula text, as in drg_formulas.tsv
 */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const end = source.length;

  const primary = (): Formula => {
    const t = tokens[pos];
    if (t === undefined) throw new FormulaSyntaxError('unexpected end of formula', end);
    pos++;
    if (t.type === 'atom') return atom(t.text, t.at);
    if (t.type === '~') return { kind: 'not', arg: primary() };
    if (t.type === '(') {
      const inner = disjunction();
      const close = tokens[pos];
      if (close?.type !== ')') throw new FormulaSyntaxError("missing ')'", close?.at ?? end);
      pos++;
      return inner;
    }
    throw new FormulaSyntaxError(`unexpected '${t.type}'`, t.at);
  };
  const conjunction = (): Formula => {
    let left = primary();
    while (peek()?.type === '&') {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const disjunction = (): Formula => {
    let left = conjunction();
    while (peek()?.type === '|') {
      pos++;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  };

  if (tokens.length === 0) throw new FormulaSyntaxError('empty formula', 0);
  const result = disjunction();
  const rest = tokens[pos];
  if (rest !== undefined) throw new FormulaSyntaxError(`unexpected '${rest.type === 'atom' ? rest.text : rest.type}'`, rest.at);
  return result;
}

/** Every atom of a formula, in order of appearance. */
export function atomsOf(f: Formula, out: { prefix: AtomPrefix; name: string }[] = []): { prefix: AtomPrefix; name: string }[] {
  if (f.kind === 'atom') out.push({ prefix: f.prefix, name: f.name });
  else if (f.kind === 'not') atomsOf(f.arg, out);
  else {
    atomsOf(f.left, out);
    atomsOf(f.right, out);
  }
  return out;
}

/** The formula written back in the language (for traces). */
export function formatFormula(f: Formula): string {
  if (f.kind === 'atom') return f.prefix === '' ? f.name : `${f.prefix}:${f.name}`;
  if (f.kind === 'not') return f.arg.kind === 'atom' ? `~${formatFormula(f.arg)}` : `~(${formatFormula(f.arg)})`;
  const op = f.kind === 'and' ? ' & ' : ' | ';
  const side = (g: Formula): string => (g.kind === 'or' && f.kind === 'and' ? `(${formatFormula(g)})` : formatFormula(g));
  return `${side(f.left)}${op}${side(f.right)}`;
}
