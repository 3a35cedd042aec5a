import type { Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import type { CodingTables } from './schema.js';

/** A user as the platform's user service names them (`UsersService.allowedTo`). */
export interface Person { id: string; username: string; displayName: string; active: boolean }

/** What coding needs of the platform's users: who holds a permission, and names by id (UsersService satisfies it). */
export interface PeopleDirectory {
  allowedTo(action: string, category: string): Promise<Person[]>;
  namesOf(ids: readonly string[]): Promise<Map<string, { username: string; displayName: string }>>;
}

/** The most cases one assignment may move (the list shows at most 500 by default). */
export const MAX_ASSIGNMENT = 500;

/** Who may code: users allowed to write coding (coders, CDI specialists, HIM directors), active or not. */
export function codingPeople(people: PeopleDirectory): Promise<Person[]> {
  return people.allowedTo('write', 'coding');
}

export interface AssignmentDeps {
  db: Kysely<CodingTables>;
  audit: AuditTrail;
  access: PatientAccess;
  people: PeopleDirectory;
  /** Brings newly discharged encounters into the work list (CodingService.sync). */
  sync: () => Promise<unknown>;
}

/** Who works which case: the coders one can assign to, and assignment of one case or many (all or nothing). */
export class AssignmentService {
  constructor(private readonly d: AssignmentDeps) {}

  /** The active users a case can be assigned to; anyone who may see the work list may see them. */
  async coders(p: Principal): Promise<{ items: { id: string; username: string; displayName: string }[] }> {
    if (!p.permissions.can('read', 'coding')) throw new AppError('FORBIDDEN', 'You may not see coding.');
    const all = await codingPeople(this.d.people);
    return { items: all.filter((u) => u.active).map(({ id, username, displayName }) => ({ id, username, displayName })) };
  }

  /**
   * Assigns the cases to an active coder, or unassigns them (`userId` null): in one transaction, each case
   * audited; refused as a whole when one case is unknown or not visible to the user.
   */
  async assign(p: Principal, actor: Actor, encounterIds: string[], userId: string | null) {
    if (!p.permissions.can('write', 'coding')) throw new AppError('FORBIDDEN', 'You may not assign cases.');
    const ids = [...new Set(encounterIds)];
    if (ids.length === 0 || ids.length > MAX_ASSIGNMENT) throw new AppError('VALIDATION_FAILED', `Assign between 1 and ${MAX_ASSIGNMENT} cases at a time.`);
    const assignee = userId === null ? null : (await codingPeople(this.d.people)).find((u) => u.id === userId && u.active);
    if (assignee === undefined) {
      throw new AppError('CODING_ASSIGNEE_INVALID', 'Cases can be assigned only to an active user who may code (a coder, CDI specialist or HIM director).');
    }
    const load = () => this.d.db.selectFrom('coding_case').select(['encounter_id', 'patient_id', 'assigned_to']).where('encounter_id', 'in', ids).execute();
    let rows = await load();
    if (rows.length < ids.length) {
      // A case opened before the work list listed it syncs here, as for the other case routes.
      await this.d.sync();
      rows = await load();
    }
    if (rows.length < ids.length) {
      throw new AppError('NOT_FOUND', ids.length === 1 ? 'No discharged encounter with that id.' : `${ids.length - rows.length} of the ${ids.length} cases were not found; nothing was assigned.`);
    }
    const patients = [...new Set(rows.map((r) => r.patient_id))];
    for (let i = 0; i < patients.length; i += 8) {
      await Promise.all(patients.slice(i, i + 8).map((pid) => this.d.access.require(p, actor, pid, 'write', 'coding', 'Encounter')));
    }
    await this.d.db.transaction().execute(async (tx) => {
      await tx.updateTable('coding_case').set({ assigned_to: userId, updated_at: new Date() }).where('encounter_id', 'in', ids).execute();
      for (const r of rows) {
        await this.d.audit.recordIn(tx as never, actor, {
          action: 'write', category: 'coding', patientId: r.patient_id, resourceType: 'CodingCase', resourceId: r.encounter_id,
          reason: assignee ? `assigned to ${assignee.username}` : 'unassigned', details: { assignedTo: userId, previous: r.assigned_to },
        });
      }
    });
    return { items: ids.map((encounterId) => ({ encounterId, assignedTo: userId })), assignee: assignee ? { id: assignee.id, displayName: assignee.displayName } : null };
  }
}
