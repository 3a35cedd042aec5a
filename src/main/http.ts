import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpApp, type HttpApp } from '../platform/http/app.js';
import { auditRoutes } from '../platform/http/routes/audit.js';
import { authRoutes } from '../platform/http/routes/auth.js';
import { breakGlassRoutes } from '../platform/http/routes/break-glass.js';
import { healthRoutes } from '../platform/http/routes/health.js';
import { userRoutes } from '../platform/http/routes/users.js';
import type { Platform } from '../platform/runtime.js';
import { fhirTerminologyRoutes } from '../codesets/fhir.js';
import { codesetRoutes } from '../codesets/routes.js';
import { codesetsOf } from './codesets.js';
import { mceRoutes } from '../mce/routes.js';
import { mceOf } from './mce.js';
import { grouperRoutes } from '../grouper/routes.js';
import { grouperOf } from './grouper.js';
import { patientsOf } from './patients.js';
import { patientRoutes } from '../patients/routes.js';
import { encounterRoutes } from '../encounters/routes.js';
import { fhirPatientRoutes } from '../interop/fhir/routes.js';
import { codingRoutes } from '../coding/routes.js';
import { codingOf } from './coding.js';
import { hl7v2Routes } from '../interop/hl7v2/routes.js';
import { hl7v2Of } from './hl7v2.js';

/** dist/web beside dist/main (built by `npm run build`). */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

/** Wires every capability's routes onto one Fastify app. */
export function buildHttp(platform: Platform, opts: { webRoot?: string | null; logger?: boolean } = {}): HttpApp {
  const app = createHttpApp({
    config: platform.config,
    auth: platform.auth,
    webRoot: opts.webRoot === undefined ? WEB_ROOT : opts.webRoot,
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
  });
  healthRoutes(app, platform.db.appPool, platform.config.version);
  authRoutes(app, platform.auth);
  userRoutes(app, platform.users);
  auditRoutes(app, platform.db.app, platform.audit, platform.settings);
  breakGlassRoutes(app, platform.access);
  const { codes } = codesetsOf(platform);
  codesetRoutes(app, codes);
  fhirTerminologyRoutes(app, codes);
  mceRoutes(app, mceOf(platform));
  grouperRoutes(app, grouperOf(platform));
  const mpi = patientsOf(platform);
  patientRoutes(app, mpi);
  encounterRoutes(app, mpi.encounters);
  fhirPatientRoutes(app, mpi);
  codingRoutes(app, codingOf(platform));
  hl7v2Routes(app, hl7v2Of(platform, mpi.adt).queue);
  return app;
}
