/**
 * An open-addressing hash table from ICD-10 codes (≤ 7 characters of A–Z, 0–9, @) to row numbers, over typed
 * arrays. A claim's codes are fresh substrings of its line; looking them up in a 75,000-entry Map costs a string
 * hash, a flatten and a compare per probe. Here a code is packed into two integers while it is read (lower-case
 * letters pack like upper-case ones, as the grouper's lookups upper-case the code), so a probe compares two ints.
 */
/** A table's hash arrays (slot → packed code halves and row number, -1 empty). */
export interface CodeTableParts {
  hi: Int32Array;
  lo: Int32Array;
  row: Int32Array;
}

export class CodeTable {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly row: Int32Array;
  private readonly mask: number;
  /** Set by `find`: whether the code as written held a lower-case letter. */
  lowerCase = false;

  /** The table of `codes` (row i is codes[i]), or one restored from `parts()` of an equal table. */
  constructor(codes: readonly string[] | CodeTableParts) {
    if (!Array.isArray(codes)) {
      const p = codes as CodeTableParts;
      if (p.hi.length !== p.row.length || p.lo.length !== p.row.length || (p.row.length & (p.row.length - 1)) !== 0) throw new Error('code table parts do not fit together');
      this.hi = p.hi;
      this.lo = p.lo;
      this.row = p.row;
      this.mask = p.row.length - 1;
      return;
    }
    const list = codes as readonly string[];
    let size = 16;
    while (size < list.length * 2) size *= 2;
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.row = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    list.forEach((code, i) => {
      if (!this.pack(code)) throw new Error(`'${code}' cannot be packed`);
      let at = this.slot(PACK_HI, PACK_LO);
      while (this.row[at] !== -1) {
        if (this.hi[at] === PACK_HI && this.lo[at] === PACK_LO) throw new Error(`${code} listed twice`);
        at = (at + 1) & this.mask;
      }
      this.hi[at] = PACK_HI;
      this.lo[at] = PACK_LO;
      this.row[at] = i;
    });
  }

  /** The hash arrays, to store and restore the table without hashing every code again. */
  parts(): CodeTableParts {
    return { hi: this.hi, lo: this.lo, row: this.row };
  }

  private slot(hi: number, lo: number): number {
    return (Math.imul(hi, 0x9e3779b1) ^ Math.imul(lo + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
  }

  private pack(code: string): boolean {
    const n = code.length;
    if (n === 0 || n > 7) return false;
    let hi = 0;
    let lo = 0;
    let lower = false;
    for (let i = 0; i < 7; i++) {
      let v = 0;
      if (i < n) {
        const ch = code.charCodeAt(i);
        if (ch >= 0x30 && ch <= 0x39) v = ch - 0x2f; // 1–10
        else if (ch >= 0x41 && ch <= 0x5a) v = ch - 0x36; // 11–36
        else if (ch >= 0x61 && ch <= 0x7a) {
          v = ch - 0x56;
          lower = true;
        } else if (ch === 0x40) v = 37;
        else return false;
      }
      if (i < 4) hi = hi * 38 + v;
      else lo = lo * 38 + v;
    }
    PACK_HI = hi;
    PACK_LO = lo;
    this.lowerCase = lower;
    return true;
  }

  /** The row number of `code` (any case), or -1. */
  find(code: string): number {
    if (!this.pack(code)) return -1;
    const hi = PACK_HI;
    const lo = PACK_LO;
    let at = this.slot(hi, lo);
    for (;;) {
      const r = this.row[at] as number;
      if (r === -1) return -1;
      if (this.hi[at] === hi && this.lo[at] === lo) return r;
      at = (at + 1) & this.mask;
    }
  }
}

// scratch registers of `pack` (single-threaded per isolate; avoids allocating a pair per lookup)
let PACK_HI = 0;
let PACK_LO = 0;
