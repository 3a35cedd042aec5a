import { lazy, type ComponentType } from 'react';

export const LoginPage = lazy(() => import('./pages/login/LoginPage'));
export const ChangePasswordPage = lazy(() => import('./pages/password/ChangePasswordPage'));
export const MfaEnrolPage = lazy(() => import('./pages/mfa/MfaEnrolPage'));
export const NotFound = lazy(() => import('./pages/errors/NotFound'));
export const NotAuthorised = lazy(() => import('./pages/errors/NotAuthorised'));

const HomePage = lazy(() => import('./pages/home/HomePage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const PrivacyReviewPage = lazy(() => import('./pages/privacy/PrivacyReviewPage'));
const CodesPage = lazy(() => import('./pages/codes/CodesPage'));
const Hl7ErrorsPage = lazy(() => import('./pages/interop/Hl7ErrorsPage'));

export interface AppRoute {
  path: string;
  page: ComponentType;
  /** Permission the server requires for the page's data; the link is hidden without it. */
  permission?: string;
}

export const appRoutes: AppRoute[] = [
  { path: '/', page: HomePage },
  { path: '/users', page: UsersPage, permission: 'admin:users' },
  { path: '/audit', page: AuditPage, permission: 'read:audit' },
  { path: '/privacy', page: PrivacyReviewPage, permission: 'review:privacy' },
  // Reference data, open to every signed-in user; one page with a tab per path.
  { path: '/codes', page: CodesPage },
  { path: '/codes/tree', page: CodesPage },
  { path: '/codes/pcs', page: CodesPage },
  { path: '/codes/releases', page: CodesPage },
  { path: '/codes/diff', page: CodesPage },
  { path: '/password', page: ChangePasswordPage },
  // The HL7 v2 error queue (clerks who fix feeds; the API also admits admin:settings).
  { path: '/interop/hl7v2', page: Hl7ErrorsPage, permission: 'write:demographics' },
];

export function findRoute(pathname: string): AppRoute | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return appRoutes.find((route) => route.path === path);
}
