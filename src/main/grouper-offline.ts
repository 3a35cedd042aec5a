import path from 'node:path';
import { CompiledCache } from '../grouper/compiled-cache.js';
import type { VersionRow } from '../grouper/store.js';
import type { Config } from '../platform/config.js';

/** The compiled-definitions cache of a data directory. */
export function grouperCache(config: Config): CompiledCache {
  return new CompiledCache(path.join(config.dataDir, 'cache', 'msdrg'));
}

/**
 * What `chartroom group` may use without starting PostgreSQL: only with the embedded database (whose imports
 * write the cache's index in the same data directory) and when every indexed version has its compiled file.
 */
export function offlineGrouper(config: Config): { cache: CompiledCache; versions: VersionRow[] } | null {
  if (config.databaseUrl !== null) return null;
  const cache = grouperCache(config);
  const versions = cache.readIndex();
  if (versions === null || versions.length === 0 || !versions.every((v) => cache.has(v))) return null;
  return { cache, versions };
}
