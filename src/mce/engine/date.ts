/** Step 0 of the MCE: reading the discharge date exactly as CMS's MCE does. */

/** The first discharge date the MCE accepts (its tables start with FY1986). */
export const FIRST_DISCHARGE_DATE = 19851001;

/** Java's `String.trim()`: strips every leading and trailing character ≤ U+0020. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Reads a `yyyyMMdd` discharge date: trimmed, exactly 8 ASCII digits, month 01–12, day 01–31; a day past the
 * end of its month becomes the month's last day (`20250231` → 2025-02-28), as CMS's MCE does.
 * @returns the date as a `yyyymmdd` integer, or null when it cannot be read
 */
export function resolveDischargeDate(raw: string): number | null {
  const s = javaTrim(raw);
  if (s.length !== 8) return null;
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  const y = Math.floor(n / 10000);
  const m = Math.floor(n / 100) % 100;
  const d = n % 100;
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const last = daysInMonth(y, m);
  return d > last ? y * 10000 + m * 100 + last : n;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of a month in the proleptic Gregorian calendar (Java's LocalDate). */
export function daysInMonth(y: number, m: number): number {
  if (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) return 29;
  return DAYS[m - 1]!;
}

const isoCache = new Map<number, string>();

/** `yyyymmdd` integer → `yyyy-mm-dd`. */
export function isoDate(n: number): string {
  let iso = isoCache.get(n);
  if (iso === undefined) {
    const s = String(n).padStart(8, '0');
    iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    if (isoCache.size < 100_000) isoCache.set(n, iso);
  }
  return iso;
}
