import { Hl7Message, Hl7Segment } from '@medplum/core';
import { HL7_CONDITION_TEXT, type Hl7ErrorCondition } from './message.js';

export interface AckProblem {
  condition: Hl7ErrorCondition;
  /** Where: a segment or field such as `PID-3`, or null. */
  location: string | null;
  /** Why, in words, for the sender's interface analyst (no patient data). */
  text: string;
}

/** Keeps free text safe inside an HL7 field: no delimiters, no control characters, bounded. */
export function hl7Text(s: string, max = 200): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1F\x7F]/g, '').replace(/[|^~\\&]/g, ' ').slice(0, max);
}

/**
 * The ERR segment of a NAK. ERR-1 (v2.3/2.4 error code and location) and ERR-3/4/8 (v2.5+: HL7 error code,
 * severity, user message) are both filled, so any version's reader finds the reason.
 */
export function errSegment(message: Hl7Message | null, p: AckProblem): Hl7Segment {
  const ctx = message?.context;
  const text = hl7Text(p.text);
  const cwe = `${p.condition}^${HL7_CONDITION_TEXT[p.condition]}^HL70357`;
  const [seg = '', fieldNo = ''] = (p.location ?? '').split('-');
  const segId = /^[A-Z][A-Z0-9]{2}$/.test(seg) ? seg : '';
  const eld = `${segId}^${segId ? '1' : ''}^${/^\d+$/.test(fieldNo) ? fieldNo : ''}^${p.condition}&${HL7_CONDITION_TEXT[p.condition]}&HL70357`;
  const erl = segId ? `${segId}^1${/^\d+$/.test(fieldNo) ? `^${fieldNo}` : ''}` : '';
  return Hl7Segment.parse(['ERR', eld, erl, cwe, 'E', '', '', '', text].join('|'), ctx);
}

/**
 * The ACK for a message, built with `Hl7Message.buildAck`; MSH-10 is made unique, MSA-3 carries the reason.
 * @param ackId - a unique suffix for the ACK's own control ID
 */
export function buildAck(message: Hl7Message, ackCode: 'AA' | 'AE' | 'AR', ackId: string, problem?: AckProblem): string {
  const ack = message.buildAck({ ackCode, ...(problem ? { errSegment: errSegment(message, problem) } : {}) });
  ack.header.setField(10, hl7Text(`ACK${ackId}`, 20));
  if (problem) ack.getSegment('MSA')?.setField(3, hl7Text(problem.text, 80));
  return ack.toString() + '\r';
}

/**
 * A NAK for bytes that are not a usable message (no MSH to answer from): a minimal ACK of our own.
 * MSA-2 echoes the control ID when one could be read.
 */
export function buildBareNak(ackId: string, problem: AckProblem, controlId = '', now = new Date()): string {
  const ts = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const msh = `MSH|^~\\&|CHARTROOM||||${ts}||ACK|ACK${hl7Text(ackId, 17)}|P|2.5.1`;
  const msa = `MSA|AR|${hl7Text(controlId, 50)}|${hl7Text(problem.text, 80)}`;
  const err = errSegment(null, problem).toString();
  return [msh, msa, err].join('\r') + '\r';
}

/** Reads MSA-1 and the ERR text of an ACK (for tests, the bench and the replay page). */
export function readAck(text: string): { ackCode: string; controlId: string; text: string; err: string | null } {
  const m = Hl7Message.parse(text.replace(/[\r\n]+$/, ''));
  const msa = m.getSegment('MSA');
  const err = m.getSegment('ERR');
  return {
    ackCode: msa?.getField(1)?.toString() ?? '',
    controlId: msa?.getField(2)?.toString() ?? '',
    text: msa?.getField(3)?.toString() ?? '',
    err: err ? err.toString() : null,
  };
}
