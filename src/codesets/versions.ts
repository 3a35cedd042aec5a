/**
 * Which release of a code system is in force on a date. Pure. ICD-10 releases run to the end of their
 * fiscal year (30 September) or the next release; HCPCS quarterly files run three months, annual ones a year.
 * When none is in force (a date past the newest release, or before the oldest), the newest release is used
 * and the answer says so — it never answers nothing.
 */
export interface ReleaseInfo {
  id: number;
  system: string;
  fiscalYear: number;
  effectiveFrom: string;
  kind: string;
  label: string;
}

export interface ReleaseChoice {
  release: ReleaseInfo;
  inForce: boolean;
  /** Shown beside answers when the release is not the one in force on the date. */
  notice: string | null;
  effectiveTo: string;
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The last day a release can be in force, before any later release. */
export function naturalEnd(r: ReleaseInfo): string {
  if (r.system === 'hcpcs') return addMonths(r.effectiveFrom, r.kind === 'quarterly' ? 3 : 12);
  return `${r.fiscalYear}-09-30`;
}

/** Order releases; on the same start date an order-file release is preferred to an XML one. */
function rank(a: ReleaseInfo, b: ReleaseInfo): number {
  return a.effectiveFrom.localeCompare(b.effectiveFrom) || (a.kind === 'xml' ? -1 : 0) - (b.kind === 'xml' ? -1 : 0);
}

export function effectiveTo(releases: ReleaseInfo[], r: ReleaseInfo): string {
  const sorted = [...releases].filter((x) => x.system === r.system).sort(rank);
  const next = sorted.find((x) => x.effectiveFrom > r.effectiveFrom);
  const natural = naturalEnd(r);
  if (!next) return natural;
  const dayBefore = addMonths(next.effectiveFrom, 0);
  return dayBefore < natural ? dayBefore : natural;
}

export function chooseRelease(releases: ReleaseInfo[], system: string, date: string): ReleaseChoice | null {
  const sorted = releases.filter((r) => r.system === system).sort(rank);
  if (sorted.length === 0) return null;
  const started = sorted.filter((r) => r.effectiveFrom <= date);
  const candidate = started.at(-1);
  if (candidate) {
    const to = effectiveTo(sorted, candidate);
    if (date <= to) return { release: candidate, inForce: true, notice: null, effectiveTo: to };
  }
  const newest = sorted.at(-1)!;
  return {
    release: newest,
    inForce: false,
    effectiveTo: effectiveTo(sorted, newest),
    notice: `No loaded ${newest.label.split(' ')[0]} release is in force on ${date}; using the newest loaded release, ${newest.label} (effective ${newest.effectiveFrom}).`,
  };
}
