import { MceService } from '../mce/index.js';
import type { MceDbTables } from '../mce/schema.js';
import type { Platform } from '../platform/runtime.js';

/** Wires the MCE module onto the platform's database and audit trail (one service, so its table cache is shared). */
export function mceOf(platform: Platform): MceService {
  const known = services.get(platform);
  if (known) return known;
  const service = new MceService(platform.db.app.withTables<MceDbTables>(), platform.audit);
  services.set(platform, service);
  return service;
}

const services = new WeakMap<Platform, MceService>();
