/** Facility MRNs: a configurable format around a sequence number, with a Luhn (mod 10) check digit. Pure. */

/** The Luhn check digit of a string of digits. */
export function luhnDigit(num: string): number {
  let sum = 0;
  for (let i = 0; i < num.length; i++) {
    let d = num.charCodeAt(num.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Formats sequence number `n` with e.g. `M{n:7}{check}` → `M00012347`. */
export function formatMrn(format: string, n: number): string {
  const m = /\{n:(\d{1,2})\}/.exec(format);
  if (!m) throw new Error(`MRN format without {n:<width>}: ${format}`);
  const padded = String(n).padStart(Number(m[1]), '0');
  return format.replace(m[0], padded).replace('{check}', String(luhnDigit(padded)));
}

/** True when `mrn` could have been made by `format` and its check digit (if the format has one) holds. */
export function isValidMrn(format: string, mrn: string): boolean {
  const m = /\{n:(\d{1,2})\}/.exec(format);
  if (!m) return false;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const [before, after] = format.split(m[0]) as [string, string];
  const hasCheck = after.includes('{check}') || before.includes('{check}');
  const pattern = new RegExp(`^${esc(before.replace('{check}', ''))}(\\d{${m[1]},})${hasCheck ? '(\\d)' : ''}${esc(after.replace('{check}', ''))}$`);
  const r = pattern.exec(mrn);
  if (!r) return false;
  return !hasCheck || luhnDigit(r[1] as string) === Number(r[2]);
}
