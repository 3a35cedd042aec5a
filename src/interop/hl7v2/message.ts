import { Hl7Message, type Hl7Field, type Hl7Segment } from '@medplum/core';
import { AppError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalogue.js';

/** HL7 table 0357 (message error condition codes) — the ones Chartroom answers with. */
export type Hl7ErrorCondition = '100' | '101' | '102' | '103' | '200' | '201' | '203' | '204' | '206' | '207';

export const HL7_CONDITION_TEXT: Record<Hl7ErrorCondition, string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
};

/**
 * A message Chartroom refuses: carries the HL7 error condition (table 0357), the ACK code to answer with
 * (AR for structure and unsupported content, AE for content it cannot apply) and where the problem is (e.g. `PID-3`).
 */
export class Hl7Reject extends AppError {
  readonly condition: Hl7ErrorCondition;
  readonly ackCode: 'AE' | 'AR';
  readonly location: string | null;

  constructor(code: ErrorCode, condition: Hl7ErrorCondition, ackCode: 'AE' | 'AR', detail: string, location: string | null = null) {
    super(code, detail);
    this.condition = condition;
    this.ackCode = ackCode;
    this.location = location;
  }
}

export interface ParseLimits {
  /** Messages with more segments are refused (a real ADT has a few dozen). */
  maxSegments: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxSegments: 1000 };

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

/**
 * Parses one HL7 v2 message with `Hl7Message.parse`, after the structural checks the library does not make:
 * MSH first, the standard encoding characters, well-formed segment IDs, a bounded segment count.
 * @param text - the message, segments separated by CR (LF and CRLF tolerated)
 * @throws Hl7Reject (AR) when the message is structurally unusable
 */
export function parseHl7(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): Hl7Message {
  const trimmed = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  if (!trimmed.startsWith('MSH')) {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '100', 'AR', 'The message does not start with an MSH segment', 'MSH');
  }
  if (trimmed.charAt(3) !== '|' || trimmed.slice(4, 8) !== '^~\\&') {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '102', 'AR', `MSH-1/MSH-2 must be "|" and "^~\\&"; got "${safe(trimmed.slice(3, 8))}"`, 'MSH-2');
  }
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(trimmed)) {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '102', 'AR', 'The message contains control characters (binary data)', null);
  }
  const lines = trimmed.split(/\r\n|\r|\n/);
  if (lines.length > limits.maxSegments) {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '100', 'AR', `The message has ${lines.length} segments; at most ${limits.maxSegments} are accepted`, null);
  }
  lines.forEach((line, i) => {
    const id = line.split('|', 1)[0] ?? '';
    if (!SEGMENT_ID.test(id)) {
      throw new Hl7Reject('HL7_MESSAGE_INVALID', '100', 'AR', `Segment ${i + 1} has no valid segment ID ("${safe(id.slice(0, 10))}")`, `segment ${i + 1}`);
    }
    if (i > 0 && id === 'MSH') throw new Hl7Reject('HL7_MESSAGE_INVALID', '100', 'AR', 'More than one MSH segment (a batch?)', `segment ${i + 1}`);
  });
  const message = Hl7Message.parse(lines.join('\r'));
  if (!value(message.header.getField(9), 1)) {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '101', 'AR', 'MSH-9 (message type) is empty', 'MSH-9');
  }
  if (!value(message.header.getField(10), 1)) {
    throw new Hl7Reject('HL7_MESSAGE_INVALID', '101', 'AR', 'MSH-10 (message control ID) is empty', 'MSH-10');
  }
  return message;
}

/** For error texts: printable ASCII only, so nothing odd lands in an ERR segment or a log. */
function safe(s: string): string {
  return s.replace(/[^\x20-\x7E]/g, '?').replace(/[|^~\\&]/g, '?');
}

/** Undoes the HL7 escape sequences (\F\ \S\ \T\ \R\ \E\ \Xhh\; formatting escapes dropped). */
export function unescapeHl7(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([^\\]*)\\/g, (_, seq: string) => {
    switch (seq) {
      case 'F': return '|';
      case 'S': return '^';
      case 'T': return '&';
      case 'R': return '~';
      case 'E': return '\\';
      default:
        if (/^X([0-9A-Fa-f]{2})+$/.test(seq)) return Buffer.from(seq.slice(1), 'hex').toString('latin1');
        return '';
    }
  });
}

/** One component (1-based) of one repetition, unescaped and trimmed; '' when absent. */
export function value(field: Hl7Field | undefined, component: number, repetition = 0, subcomponent?: number): string {
  if (!field || repetition >= field.components.length) return '';
  const raw = field.components[repetition]?.[component - 1] ?? '';
  const part = subcomponent === undefined ? raw : (raw.split('&')[subcomponent] ?? '');
  // Without a subcomponent index, keep only the first subcomponent (e.g. "EVERYMAN&&&&Aniston" -> surname).
  const first = subcomponent === undefined ? (part.split('&')[0] ?? '') : part;
  return unescapeHl7(first).trim();
}

/** Repetitions of a field that hold anything. */
export function repetitions(field: Hl7Field | undefined): number[] {
  if (!field) return [];
  return field.components.map((c, i) => ({ c, i })).filter(({ c }) => c.some((x) => x.trim() !== '')).map(({ i }) => i);
}

export function field(segment: Hl7Segment | undefined, index: number): Hl7Field | undefined {
  return segment?.getField(index);
}

/** MSH-9 as { code, trigger, structure }. */
export function messageType(message: Hl7Message): { code: string; trigger: string; structure: string } {
  const f = message.header.getField(9);
  return { code: value(f, 1).toUpperCase(), trigger: value(f, 2).toUpperCase(), structure: value(f, 3).toUpperCase() };
}

/** The idempotency key parts: MSH-3 sending application, MSH-4 sending facility, MSH-10 control ID. */
export function messageKey(message: Hl7Message): { sendingApp: string; sendingFacility: string; controlId: string } {
  const h = message.header;
  return { sendingApp: h.getField(3)?.toString() ?? '', sendingFacility: h.getField(4)?.toString() ?? '', controlId: h.getField(10)?.toString() ?? '' };
}

/**
 * An HL7 TS (YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]) as an ISO instant; null when empty or malformed.
 * @param defaultOffset - the sender's offset when the value carries none, e.g. '+0000'
 */
export function hl7Instant(ts: string, defaultOffset = '+0000'): string | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(ts.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', off = defaultOffset] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const sign = off.startsWith('-') ? -1 : 1;
  const offMin = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(3, 5)));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offMin * 60_000;
  const date = new Date(utc);
  if (Number.isNaN(date.getTime()) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return date.toISOString();
}

/** An HL7 DT/TS as a calendar date (the date as the sender wrote it, no time-zone shift); null when malformed. */
export function hl7Date(ts: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(ts.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return `${y}-${mo}-${d}`;
}
