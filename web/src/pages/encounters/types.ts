// Shapes of the encounters API (src/encounters/service.ts). Keep in step with the server.

export interface EncounterView {
  id: string;
  patientId: string;
  accountNumber: string;
  visitNumber: string | null;
  class: string;
  status: string;
  admitAt: string | null;
  dischargeAt: string | null;
  admitType: string | null;
  admitSource: string | null;
  dischargeDisposition: string | null;
  dischargeDispositionLabel: string | null;
  hospitalService: string | null;
  location: string | null;
  room: string | null;
  bed: string | null;
  financialClass: string | null;
  payer: string | null;
  lengthOfStayDays: number | null;
}

export interface EncounterEvent {
  event: string;
  occurredAt: string | null;
  recordedAt: string;
  detail: unknown;
}

export interface EncounterDetail extends EncounterView {
  events: EncounterEvent[];
}

export interface ListedEncounter extends EncounterView {
  patient: { mrn: string; family: string; given: string; birthDate: string | null; sex: string };
}

/** HL7 v2 ADT trigger events as the event history names them. */
export const ADT_EVENT_LABEL: Record<string, string> = {
  A01: 'Admit',
  A02: 'Transfer',
  A03: 'Discharge',
  A04: 'Register',
  A05: 'Pre-admit',
  A06: 'Outpatient to inpatient',
  A07: 'Inpatient to outpatient',
  A08: 'Update',
  A11: 'Cancel admit',
  A12: 'Cancel transfer',
  A13: 'Cancel discharge',
  A28: 'Add person',
  A31: 'Update person',
  A40: 'Merge',
};

export function bedOf(e: Pick<EncounterView, 'location' | 'room' | 'bed'>): string {
  return [e.location, e.room, e.bed].filter(Boolean).join(' · ');
}
