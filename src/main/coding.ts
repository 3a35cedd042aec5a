import { AssignmentService } from '../coding/assignments.js';
import { QueryService } from '../coding/queries.js';
import type { CodingTables } from '../coding/schema.js';
import { CodingService } from '../coding/service.js';
import type { Platform } from '../platform/runtime.js';
import { codesetsOf } from './codesets.js';
import { grouperOf } from './grouper.js';
import { mceOf } from './mce.js';
import { patientsOf } from './patients.js';

const built = new WeakMap<Platform, { coding: CodingService; assignments: AssignmentService; queries: QueryService }>();

/** Wires coding (abstracts, DNFB and assignment, queries) onto the platform, the MPI, encounters, code sets, grouper and MCE. */
export function codingOf(platform: Platform) {
  let m = built.get(platform);
  if (!m) {
    const db = platform.db.app.withTables<CodingTables>();
    const mpi = patientsOf(platform);
    const coding = new CodingService({
      db, audit: platform.audit, access: platform.access, patients: mpi.patients, encounters: mpi.encounters,
      codes: codesetsOf(platform).codes, grouper: grouperOf(platform), mce: mceOf(platform), people: platform.users, baseRate: platform.config.coding.baseRate,
    });
    const queries = new QueryService(db, platform.access, platform.audit, { escalateAfterDays: platform.config.coding.queryEscalateDays }, platform.users);
    const assignments = new AssignmentService({ db, audit: platform.audit, access: platform.access, people: platform.users, sync: () => coding.sync() });
    m = { coding, assignments, queries };
    built.set(platform, m);
  }
  return m;
}
