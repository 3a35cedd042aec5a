import { AppError } from '../platform/errors/app-error.js';
import type { VersionRow } from './store.js';
import { chooseVersion } from './versions.js';

export function isoDate(value: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Pick a version from the loaded ones (pure; shared by the service and the CLI's cached path). */
export function pickVersion(versions: readonly VersionRow[], version: string | null, dischargeDate: string | null): { row: VersionRow; notice: string | null } {
  if (versions.length === 0) throw new AppError('MSDRG_NOT_LOADED', 'No MS-DRG grouper version is loaded; run chartroom import msdrg <folder>.');
  if (version !== null && version !== '') {
    const row = versions.find((v) => v.version === version);
    if (!row) throw unknownVersion(version, versions.map((v) => v.version));
    return { row, notice: null };
  }
  const date = dischargeDate === null ? null : isoDate(dischargeDate);
  if (date === null) throw new AppError('VALIDATION_FAILED', 'Give the grouper version or the discharge date (YYYY-MM-DD or YYYYMMDD).');
  const choice = chooseVersion(versions, date);
  if (!choice) throw new AppError('MSDRG_NOT_LOADED', 'No MS-DRG grouper version is loaded.');
  return { row: choice.version, notice: choice.notice };
}

export function unknownVersion(version: string, loaded: readonly string[]): AppError {
  return new AppError('MSDRG_VERSION_UNKNOWN', `Grouper version "${version.slice(0, 20)}" is not loaded (loaded: ${loaded.join(', ') || 'none'}).`);
}

