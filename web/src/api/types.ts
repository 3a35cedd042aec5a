// Shapes of the REST contract in docs/api.md. Keep in step with the server.

export type SessionStage = 'full' | 'change_password' | 'enrol_mfa';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface SessionInfo {
  user: SessionUser;
  stage: SessionStage;
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
  permissions: string[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  breakGlassAuthorised: boolean;
}

export interface RolePermission {
  action: string;
  category: string;
  effect: 'allow' | 'deny';
}

export interface Role {
  code: string;
  name: string;
  description: string;
  permissions: RolePermission[];
}

export interface CreatedUser {
  user: User;
  temporaryPassword?: string;
}

export interface PasswordReset {
  user: User;
  temporaryPassword: string;
}

export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

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

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

export const AUDIT_SORT_KEYS = [
  'time',
  'user',
  'patient',
  'action',
  'category',
  'outcome',
  'channel',
  'resourceType',
] as const;

export type AuditSortKey = (typeof AUDIT_SORT_KEYS)[number];

export interface AuditEvent {
  id: string;
  time: string;
  userId: string | null;
  username: string | null;
  onBehalfOf: string | null;
  patientId: string | null;
  action: string;
  category: string | null;
  resourceType: string | null;
  resourceId: string | null;
  sourceIp: string | null;
  channel: 'web' | 'api' | 'cli' | 'mllp';
  outcome: 'success' | 'failure' | 'denied';
  reason: string | null;
  breakGlass: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** The contract lists patientId, reason and window; user fields are read when the server sends them. */
export interface BreakGlassGrant {
  id: string;
  patientId: string;
  reason: string;
  startsAt: string;
  endsAt: string;
  userId?: string;
  username?: string;
  displayName?: string;
}

export interface BreakGlassReview {
  grant: BreakGlassGrant;
  events: AuditEvent[];
}
