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
  for (let i = 0; i < 8; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return y * 10000 + m * 100 + Math.min(d, last);
}

/** `yyyymmdd` integer → `yyyy-mm-dd`. */
export function isoDate(n: number): string {
  const s = String(n).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
