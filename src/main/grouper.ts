import { GrouperService } from '../grouper/index.js';
import type { GrouperDbTables } from '../grouper/schema.js';
import type { Platform } from '../platform/runtime.js';
import { grouperCache } from './grouper-offline.js';

export { grouperCache, offlineGrouper } from './grouper-offline.js';

/** Wires the grouper onto the platform's database and audit trail (one service, so compiled versions are shared). */
export function grouperOf(platform: Platform): GrouperService {
  const known = services.get(platform);
  if (known) return known;
  const service = new GrouperService(platform.db.app.withTables<GrouperDbTables>(), platform.audit, grouperCache(platform.config));
  services.set(platform, service);
  return service;
}

const services = new WeakMap<Platform, GrouperService>();
