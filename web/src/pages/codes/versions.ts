// Which loaded release a date falls in, worked out from GET /api/codes/releases so the encoder can name
// the version in use before the first search answers. The server decides for real (every answer carries
// its `version`); this follows the same rule: the latest release started on the date, an order-file
// release before an XML one of the same day, and the newest one — with a notice — when none is in force.
import type { CodeRelease, CodeSystem, CodeVersion } from './types';

function rank(a: CodeRelease, b: CodeRelease): number {
  const xml = (r: CodeRelease) => (r.kind === 'xml' ? -1 : 0);
  return a.effectiveFrom.localeCompare(b.effectiveFrom) || xml(a) - xml(b);
}

export function releasesOf(releases: CodeRelease[], system: string): CodeRelease[] {
  return releases.filter((r) => r.system === system).sort(rank);
}

function view(release: CodeRelease, inForce: boolean, notice: string | null): CodeVersion {
  return {
    label: release.label,
    fiscalYear: release.fiscalYear,
    effectiveFrom: release.effectiveFrom,
    effectiveTo: release.effectiveTo,
    inForce,
    notice,
  };
}

export function versionOn(releases: CodeRelease[], system: CodeSystem, date: string): CodeVersion | null {
  const sorted = releasesOf(releases, system);
  const newest = sorted.at(-1);
  if (!newest) return null;
  const started = sorted.filter((r) => r.effectiveFrom <= date).at(-1);
  if (started && (!started.effectiveTo || date <= started.effectiveTo)) return view(started, true, null);
  const name = newest.label.split(' ')[0] ?? newest.label;
  return view(
    newest,
    false,
    `No loaded ${name} release is in force on ${date}; using the newest loaded release, ${newest.label} (effective ${newest.effectiveFrom}).`,
  );
}

export function versionsOn(releases: CodeRelease[], systems: readonly CodeSystem[], date: string): CodeVersion[] {
  return systems.map((system) => versionOn(releases, system, date)).filter((v): v is CodeVersion => v !== null);
}

/** The notices of the versions not in force, without repeats. */
export function notices(versions: CodeVersion[]): string[] {
  const texts = versions.filter((v) => !v.inForce).map((v) => v.notice || `${v.label} is not in force on this date.`);
  return [...new Set(texts)];
}

export interface VersionOption {
  value: string;
  label: string;
}

/**
 * The versions the diff can compare: the order-file releases of a system, oldest first. A release is named
 * by its fiscal year (`2026`) when it is the first of that year, otherwise by its effective date.
 */
export function diffOptions(releases: CodeRelease[], system: string): VersionOption[] {
  const sorted = releasesOf(releases, system).filter((r) => r.kind !== 'xml');
  const firstOfYear = new Map<number, string>();
  for (const r of sorted) if (!firstOfYear.has(r.fiscalYear)) firstOfYear.set(r.fiscalYear, r.effectiveFrom);
  const seen = new Set<string>();
  const options: VersionOption[] = [];
  for (const r of sorted) {
    const value = firstOfYear.get(r.fiscalYear) === r.effectiveFrom ? String(r.fiscalYear) : r.effectiveFrom;
    if (seen.has(value)) continue;
    seen.add(value);
    options.push({ value, label: `${r.label} (from ${r.effectiveFrom})` });
  }
  return options;
}

/** Today in the browser's time zone, YYYY-MM-DD. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
