/** The HL7 v2 error-queue API (`/api/interop/hl7v2/errors`). */
export type Hl7ErrorStatus = 'open' | 'replayed' | 'dismissed';

export interface Hl7ErrorSummary {
  id: number;
  createdAt: string;
  status: Hl7ErrorStatus;
  errorCode: string;
  hl7Condition: string;
  ackCode: 'AE' | 'AR';
  location: string | null;
  detail: string;
  attempts: number;
  messageId: number;
  messageType: string;
  sendingApp: string;
  sendingFacility: string;
  controlId: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  replayMessageId: number | null;
}

export interface Hl7ErrorDetail extends Hl7ErrorSummary {
  raw: string;
  peer: string | null;
}

export interface ReplayOutcome {
  error: Hl7ErrorDetail;
  result: { ack: string; ackCode: 'AA' | 'AE' | 'AR'; status: string; messageId: number; reason: string | null };
}

/** Segments on lines for the editor; HL7 separates them with CR. */
export const toEditor = (raw: string) => raw.replace(/\r\n|\r/g, '\n').replace(/\n$/, '');
export const fromEditor = (text: string) => text.replace(/\r\n|\n/g, '\r').replace(/\r?$/, '\r');
