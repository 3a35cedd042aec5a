import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'read',
  'write',
  'print',
  'export',
  'disclose',
  'privilege_change',
  'audit_setting_change',
  'break_glass',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type Channel = 'web' | 'api' | 'cli' | 'mllp' | 'system';
export type Outcome = 'success' | 'failure' | 'denied';

/** One audit event as a capability states it (ASTM E2147 fields). */
export interface AuditEventInput {
  action: AuditAction;
  category: string;
  outcome?: Outcome;
  patientId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  reason?: string | null;
  onBehalfOf?: string | null;
  breakGlass?: boolean;
  /** Free-form, non-PHI detail (counts, filter names). Serialised once, stored as text. */
  details?: Record<string, unknown> | null;
}

/** Who acts and from where; built by each edge (HTTP, CLI, MLLP). */
export interface Actor {
  userId: string | null;
  username: string | null;
  sourceIp: string | null;
  channel: Channel;
  /** Patients this actor reached through break-the-glass in this request. */
  breakGlassPatients?: Set<string>;
}

/** The stored row, as the hash and HMAC see it. */
export interface AuditRecord {
  eventUuid: string;
  occurredAt: Date;
  userId: string | null;
  username: string | null;
  onBehalfOf: string | null;
  patientId: string | null;
  action: string;
  category: string;
  resourceType: string | null;
  resourceId: string | null;
  sourceIp: string | null;
  channel: string;
  outcome: string;
  reason: string | null;
  breakGlass: boolean;
  details: string | null;
}

/** The exact bytes that are hashed and signed: a JSON array in a fixed field order. */
export function canonical(r: AuditRecord): string {
  return JSON.stringify([
    r.eventUuid,
    r.occurredAt.toISOString(),
    r.userId,
    r.username,
    r.onBehalfOf,
    r.patientId,
    r.action,
    r.category,
    r.resourceType,
    r.resourceId,
    r.sourceIp,
    r.channel,
    r.outcome,
    r.reason,
    r.breakGlass,
    r.details,
  ]);
}

export function contentHash(r: AuditRecord): string {
  return createHash('sha256').update(canonical(r)).digest('hex');
}

export function recordMac(key: Buffer, r: AuditRecord): string {
  return createHmac('sha256', key).update(canonical(r)).digest('hex');
}

export function macMatches(key: Buffer, r: AuditRecord, mac: string): boolean {
  const expected = Buffer.from(recordMac(key, r), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The chain's first link points at this. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash(n) = SHA-256(hash(n-1) | n | event id | content hash). */
export function linkHash(prevHash: string, seq: number, eventId: number, content: string): string {
  return createHash('sha256').update(`${prevHash}|${seq}|${eventId}|${content}`).digest('hex');
}
