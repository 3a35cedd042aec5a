import path from 'node:path';
import { importCodesets } from '../codesets/import.js';
import type { CodesetTables } from '../codesets/schema.js';
import { CodesetService } from '../codesets/service.js';
import type { Actor } from '../platform/audit/event.js';
import type { Platform } from '../platform/runtime.js';

/** Wires the code-set module onto the platform's database and audit trail. */
export function codesetsOf(platform: Platform) {
  const db = platform.db.app.withTables<CodesetTables>();
  return {
    codes: new CodesetService(db, undefined, { dir: path.join(platform.config.dataDir, 'cache'), appVersion: platform.config.version }),
    importCodesets: (paths: string[], actor: Actor, progress: (step: string, done: number, total: number) => void) =>
      importCodesets(db, platform.audit, actor, paths, progress),
  };
}
