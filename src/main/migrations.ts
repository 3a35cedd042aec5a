import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '../platform/db/migrate.js';
import { PLATFORM_MIGRATIONS } from '../platform/runtime.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every module's migrations, in dependency order. Capabilities add theirs here. */
export const MIGRATIONS: MigrationSource[] = [
  PLATFORM_MIGRATIONS,
  { module: 'codesets', dir: path.join(src, 'codesets', 'migrations') },
  { module: 'patients', dir: path.join(src, 'patients', 'migrations') },
  { module: 'encounters', dir: path.join(src, 'encounters', 'migrations') },
  { module: 'hl7v2', dir: path.join(src, 'interop', 'hl7v2', 'migrations') },
  { module: 'mce', dir: path.join(src, 'mce', 'migrations') },
  { module: 'grouper', dir: path.join(src, 'grouper', 'migrations') },
  { module: 'coding', dir: path.join(src, 'coding', 'migrations') },
];
