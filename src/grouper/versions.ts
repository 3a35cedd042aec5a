/**
 * Grouper versions and their discharge-date windows. Pure. CMS's rule: V nn.0 groups discharges from 1 October
 * (the start of fiscal year nn + 1983), V nn.1 from 1 April of that fiscal year, each until the next version.
 * The refdata README states each folder's window; the import reads it and checks it against the rule.
 */
export interface VersionDating {
  version: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
}

const NAME = /^v(\d{2,3})\.(\d)$/;

/** The window CMS's numbering gives a version folder name (v43.0 → FY2026, 2025-10-01..2026-03-31); null if not a version name. */
export function datingByRule(version: string): VersionDating | null {
  const m = NAME.exec(version);
  if (!m) return null;
  const fiscalYear = Number(m[1]) + 1983;
  const minor = Number(m[2]);
  if (minor === 0) return { version, fiscalYear, effectiveFrom: `${fiscalYear - 1}-10-01`, effectiveTo: `${fiscalYear}-03-31` };
  if (minor === 1) return { version, fiscalYear, effectiveFrom: `${fiscalYear}-04-01`, effectiveTo: `${fiscalYear}-09-30` };
  return null;
}

/**
 * The windows a refdata README's table states, e.g. "| `v42.0/` | V42.0 (FY 2025) | 2024-10-01 … 2025-03-31 |".
 * @param readme - the README text
 */
export function datingFromReadme(readme: string): Map<string, VersionDating> {
  const out = new Map<string, VersionDating>();
  const row = /^\|\s*`?(v\d+\.\d+)\/?`?\s*\|[^|]*FY\s*(\d{4})[^|]*\|\s*(\d{4}-\d{2}-\d{2})\s*(?:…|\.\.\.?|–|-|to)\s*(\d{4}-\d{2}-\d{2})\s*\|/;
  for (const line of readme.split('\n')) {
    const m = row.exec(line.trim());
    if (m) out.set(m[1] as string, { version: m[1] as string, fiscalYear: Number(m[2]), effectiveFrom: m[3] as string, effectiveTo: m[4] as string });
  }
  return out;
}

/** Why a README's window is not CMS's for the version (null when it agrees). */
export function datingProblem(stated: VersionDating): string | null {
  const rule = datingByRule(stated.version);
  if (!rule) return `${stated.version} is not a grouper version name (vNN.0 or vNN.1)`;
  if (rule.fiscalYear !== stated.fiscalYear || rule.effectiveFrom !== stated.effectiveFrom) {
    return `${stated.version} is stated as FY ${stated.fiscalYear} from ${stated.effectiveFrom}; CMS's numbering gives FY ${rule.fiscalYear} from ${rule.effectiveFrom}`;
  }
  if (stated.effectiveTo < stated.effectiveFrom) return `${stated.version}: the window ends before it starts`;
  return null;
}

export interface VersionChoice<V extends { version: string; effectiveFrom: string; effectiveTo: string }> {
  version: V;
  inForce: boolean;
  /** Shown beside answers when the version is not the one in force on the date. */
  notice: string | null;
}

/**
 * The version in force on a discharge date (YYYY-MM-DD); when none is, the latest loaded, with a notice —
 * the same rule as the code sets.
 */
export function chooseVersion<V extends { version: string; effectiveFrom: string; effectiveTo: string }>(
  versions: readonly V[],
  date: string,
): VersionChoice<V> | null {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const latest = sorted.at(-1);
  if (!latest) return null;
  const inForce = sorted.filter((v) => v.effectiveFrom <= date && date <= v.effectiveTo).at(-1);
  if (inForce) return { version: inForce, inForce: true, notice: null };
  return {
    version: latest,
    inForce: false,
    notice: `No loaded MS-DRG grouper version is in force on ${date}; grouped with the latest loaded version, ${latest.version} (${latest.effectiveFrom}..${latest.effectiveTo}).`,
  };
}
