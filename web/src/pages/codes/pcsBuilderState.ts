// State of the PCS builder panel: reading the API's answers defensively, and the reducer that keeps
// answers per date and prefix and applies characters typed ahead of the server in order.
import type { CodeVersion, PcsBuilderAnswer, PcsChosen, PcsOption, PcsStep } from './types';
import { isIsoDate, today } from './versions';

export const LENGTH = 7;
/** The characters PCS uses: digits and letters without I and O. */
export const PCS_CHAR = /^[0-9A-HJ-NP-Z]$/;
export const POSITIONS = [1, 2, 3, 4, 5, 6, 7] as const;

// ---- Reading the answer (the server is young: every field may be missing) ----

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);

function readOption(raw: unknown): PcsOption | null {
  if (!isRecord(raw) || typeof raw.char !== 'string' || !raw.char) return null;
  const option: PcsOption = { char: raw.char.toUpperCase(), label: str(raw.label) ?? '' };
  const labels = strings(raw.labels);
  if (labels && labels.length > 1) option.labels = labels;
  const definition = str(raw.definition);
  if (definition) option.definition = definition;
  const explanation = str(raw.explanation);
  if (explanation) option.explanation = explanation;
  const includes = strings(raw.includes);
  if (includes && includes.length > 0) option.includes = includes;
  return option;
}

function readStep(raw: unknown, prefix: string): PcsStep | null {
  if (!isRecord(raw)) return null;
  const options = Array.isArray(raw.options) ? raw.options.map(readOption).filter((o): o is PcsOption => o !== null) : [];
  const position = typeof raw.position === 'number' ? raw.position : prefix.length + 1;
  return { position, axisTitle: str(raw.axisTitle) ?? `Character ${position}`, options };
}

function readChosen(raw: unknown): PcsChosen[] | null {
  if (!Array.isArray(raw)) return null;
  return raw.filter(isRecord).map((c) => ({
    position: typeof c.position === 'number' ? c.position : undefined,
    axisTitle: str(c.axisTitle),
    char: str(c.char) ?? '',
    label: str(c.label) ?? '',
  }));
}

export function readAnswer(raw: unknown, prefix: string): PcsBuilderAnswer {
  const body = isRecord(raw) ? raw : {};
  const code = isRecord(body.code)
    ? { code: str(body.code.code) ?? prefix, valid: body.code.valid === true, title: str(body.code.title) ?? null }
    : null;
  return {
    prefix,
    version: isRecord(body.version) ? (body.version as unknown as CodeVersion) : null,
    step: readStep(body.step, prefix),
    chosen: readChosen(body.chosen),
    code,
  };
}

// ---- State: what is chosen, what is typed ahead, what the server answered ----

export interface BuilderState {
  /** The date field as typed. */
  date: string;
  /** The characters chosen, at most 7. */
  prefix: string;
  /** Characters typed before the answer they need arrived; applied in order as the answers come. */
  pending: string;
  /** Answers by `date|prefix`. */
  answers: Record<string, PcsBuilderAnswer>;
  error: { key: string; message: string } | null;
  /** Why the last character typed was not taken. */
  rejected: string | null;
  filter: string;
  /** The highlighted option's character; the first option shown when it is not among them. */
  activeChar: string | null;
}

type Action =
  | { type: 'date'; date: string }
  | { type: 'choose'; char: string }
  | { type: 'back' }
  | { type: 'goto'; position: number }
  | { type: 'clear' }
  | { type: 'answer'; key: string; answer: PcsBuilderAnswer }
  | { type: 'error'; key: string; message: string }
  | { type: 'filter'; filter: string }
  | { type: 'active'; char: string };

export const dateOf = (state: BuilderState) => (isIsoDate(state.date) ? state.date : '');
export const keyOf = (date: string, prefix: string) => `${date}|${prefix}`;

export const COMPLETE = 'All 7 characters are chosen: take one back (Backspace) to change it.';

export function rejection(char: string, prefix: string, answer: PcsBuilderAnswer): string {
  if (prefix.length >= LENGTH) return COMPLETE;
  const step = answer.step;
  if (!step || step.options.length === 0) return `No valid code starts with ${prefix}: take a character back (Backspace).`;
  return `“${char}” is not a value of ${step.axisTitle} (character ${step.position}) after ${prefix || 'nothing'}.`;
}

/** Applies the typed-ahead characters whose answer is known; stops at the first one still waiting for it. */
function settle(state: BuilderState): BuilderState {
  let next = state;
  while (next.pending) {
    const answer = next.answers[keyOf(dateOf(next), next.prefix)];
    if (!answer) break;
    const char = next.pending.charAt(0);
    if (next.prefix.length < LENGTH && answer.step?.options.some((o) => o.char === char)) {
      next = { ...next, prefix: next.prefix + char, pending: next.pending.slice(1), filter: '', activeChar: null, rejected: null };
    } else {
      next = { ...next, pending: '', rejected: rejection(char, next.prefix, answer) };
    }
  }
  return next;
}

export function reduce(state: BuilderState, action: Action): BuilderState {
  switch (action.type) {
    case 'date':
      return { ...state, date: action.date, pending: '', rejected: null };
    case 'choose': {
      const char = action.char.toUpperCase();
      if (!PCS_CHAR.test(char)) return { ...state, rejected: `“${action.char}” is never a PCS character (0–9 and A–Z without I and O).` };
      if (state.prefix.length + state.pending.length >= LENGTH) return { ...state, rejected: COMPLETE };
      const key = keyOf(dateOf(state), state.prefix);
      // A new keystroke after a failed request asks again.
      const error = state.error?.key === key ? null : state.error;
      return settle({ ...state, error, pending: state.pending + char, rejected: null });
    }
    case 'back':
      if (state.pending) return { ...state, pending: state.pending.slice(0, -1), rejected: null };
      if (!state.prefix) return { ...state, rejected: null };
      return { ...state, prefix: state.prefix.slice(0, -1), activeChar: state.prefix.slice(-1), filter: '', rejected: null };
    case 'goto': {
      const length = Math.max(0, Math.min(action.position - 1, state.prefix.length));
      return { ...state, prefix: state.prefix.slice(0, length), activeChar: state.prefix.charAt(length) || null, pending: '', filter: '', rejected: null };
    }
    case 'clear':
      return { ...state, prefix: '', pending: '', filter: '', activeChar: null, rejected: null };
    case 'answer':
      return settle({ ...state, answers: { ...state.answers, [action.key]: action.answer } });
    case 'error':
      return { ...state, error: { key: action.key, message: action.message }, pending: '' };
    case 'filter':
      return { ...state, filter: action.filter };
    case 'active':
      return { ...state, activeChar: action.char };
    default: {
      const never: never = action;
      return never;
    }
  }
}

export function initialState(): BuilderState {
  return { date: today(), prefix: '', pending: '', answers: {}, error: null, rejected: null, filter: '', activeChar: null };
}

/** The step that offered the character at `prefix.length + 1`: for this date, else any date already asked. */
export function stepAfter(state: BuilderState, date: string, prefix: string): PcsStep | null {
  const own = state.answers[keyOf(date, prefix)];
  if (own) return own.step;
  const other = Object.entries(state.answers).find(([key]) => key.slice(key.indexOf('|') + 1) === prefix);
  return other ? other[1].step : null;
}

export function matches(option: PcsOption, words: string[]): boolean {
  const text = [option.label, ...(option.labels ?? []), ...(option.includes ?? [])].join(' ').toLowerCase();
  return words.every((word) => text.includes(word));
}

// ---- The panel ----

