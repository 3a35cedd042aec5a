import type { AdtHandler } from '../interop/hl7v2/adt-event.js';
import type { IntakeDeps } from '../interop/hl7v2/intake.js';
import { DEFAULT_PARSE_LIMITS } from '../interop/hl7v2/message.js';
import type { Hl7v2Tables } from '../interop/hl7v2/schema.js';
import { Hl7ErrorQueue } from '../interop/hl7v2/service.js';
import type { Platform } from '../platform/runtime.js';

/**
 * Wires the HL7 v2 intake onto the platform: its tables, the audit trail, and the ADT applier of the
* encounters module (`patientsOf(platform).adt`), or another AdtHandler in tests.
 */
export function hl7v2Of(platform: Platform, handler: AdtHandler, log: (line: string) => void = (l) => console.error(l)) {
  const intake: IntakeDeps = {
    db: platform.db.app.withTables<Hl7v2Tables>(),
    audit: platform.audit,
    handler,
    limits: DEFAULT_PARSE_LIMITS,
    senderUtcOffset: platform.config.mllp.senderUtcOffset,
    log,
  };
  return { intake, queue: new Hl7ErrorQueue(intake) };
}
