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
const PatientSearchPage = lazy(() => import('./pages/patients/PatientSearchPage'));
const RegisterPage = lazy(() => import('./pages/patients/RegisterPage'));
const PatientPage = lazy(() => import('./pages/patients/PatientPage'));
const ReviewPage = lazy(() => import('./pages/patients/ReviewPage'));
const EncounterListPage = lazy(() => import('./pages/encounters/EncounterListPage'));
const EncounterPage = lazy(() => import('./pages/encounters/EncounterPage'));
const Hl7ErrorsPage = lazy(() => import('./pages/interop/Hl7ErrorsPage'));
const DnfbPage = lazy(() => import('./pages/coding/DnfbPage'));
const CasePage = lazy(() => import('./pages/coding/CasePage'));
const InboxPage = lazy(() => import('./pages/coding/InboxPage'));
const QueryReportPage = lazy(() => import('./pages/coding/QueryReportPage'));

export interface AppRoute {
  /** A path; a segment `:name` matches any one segment (the page reads it from the location). */
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
  // The master patient index and ADT (demographics permission).
  { path: '/patients', page: PatientSearchPage, permission: 'read:demographics' },
  { path: '/patients/new', page: RegisterPage, permission: 'write:demographics' },
  { path: '/patients/:id', page: PatientPage, permission: 'read:demographics' },
  { path: '/mpi/review', page: ReviewPage, permission: 'write:demographics' },
  { path: '/mpi/overlays', page: ReviewPage, permission: 'write:demographics' },
  { path: '/mpi/merges', page: ReviewPage, permission: 'write:demographics' },
  { path: '/encounters/census', page: EncounterListPage, permission: 'read:demographics' },
  { path: '/encounters/discharges', page: EncounterListPage, permission: 'read:demographics' },
  { path: '/encounters/:id', page: EncounterPage, permission: 'read:demographics' },
  // The HL7 v2 error queue (clerks who fix feeds; the API also admits admin:settings).
  { path: '/interop/hl7v2', page: Hl7ErrorsPage, permission: 'write:demographics' },
  // Coding: the DNFB work list, the abstract, the query report (coding permission); the physician's query in-box
  // (the API shows each user the open queries addressed to them).
  { path: '/coding', page: DnfbPage, permission: 'read:coding' },
  { path: '/coding/cases/:id', page: CasePage, permission: 'read:coding' },
  { path: '/coding/queries/report', page: QueryReportPage, permission: 'read:coding' },
  { path: '/coding/inbox', page: InboxPage },
];

function matches(pattern: string, path: string): boolean {
  if (!pattern.includes(':')) return pattern === path;
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, i) => (segment.startsWith(':') ? (got[i] ?? '') !== '' : segment === got[i]));
}

export function findRoute(pathname: string): AppRoute | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  // Literal paths win over patterns (/patients/new before /patients/:id).
  return appRoutes.find((route) => route.path === path) ?? appRoutes.find((route) => matches(route.path, path));
}
