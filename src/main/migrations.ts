import type { MigrationSource } from '../platform/db/migrate.js';
import { PLATFORM_MIGRATIONS } from '../platform/runtime.js';

/** Every module's migrations, in dependency order. Capabilities add theirs here. */
export const MIGRATIONS: MigrationSource[] = [PLATFORM_MIGRATIONS];
