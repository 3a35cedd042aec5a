import { rng } from '../model.js';
import type { PersonRecord } from '../types.js';
import { FEMALE, MALE, STREETS, STREET_TYPES, SURNAME_HEADS, SURNAME_TAILS, SURNAMES, TOWNS } from './names.js';

/** The shape of a synthetic population. Every field has a default; the same seed gives the same population. */
export interface PopulationOptions {
  seed?: number;
  /** Number of distinct people to create (records are more, with the duplicates). */
  people?: number;
  /** Share of people with at least one duplicate record (default 0.25). */
  duplicateRate?: number;
  /** Per-field error rate in a duplicate (default 0.15). */
  errorRate?: number;
  /** Share of families with children that have twins (default 0.08). */
  twinRate?: number;
  /** Share of families where a son is named after his father, Jr/Sr (default 0.08). */
  juniorRate?: number;
  /** Mean household size above one (default 1.6: about 2.6 people per household). */
  householdExtra?: number;
  /** Draw most family names from invented compounds (1,600 of them) as well as the common list: for large populations. */
  manyNames?: boolean;
  /** Share of duplicates recorded after a move (other address and phone; default 0.1). */
  moveRate?: number;
}

export interface GeneratedRecord {
  record: PersonRecord;
  /** The person the record belongs to (the truth). */
  person: number;
  household: number;
}

const NICKS: Record<string, string[]> = {
  robert: ['bob', 'rob', 'bobby'], william: ['bill', 'will', 'billy'], richard: ['rick', 'dick', 'rich'], james: ['jim', 'jimmy'],
  john: ['jack', 'johnny'], michael: ['mike', 'mick'], joseph: ['joe', 'joey'], thomas: ['tom', 'tommy'], charles: ['charlie', 'chuck'],
  christopher: ['chris'], daniel: ['dan', 'danny'], matthew: ['matt'], anthony: ['tony'], edward: ['ed', 'ted'], steven: ['steve'],
  elizabeth: ['liz', 'beth', 'betty'], margaret: ['maggie', 'peggy', 'meg'], patricia: ['pat', 'patty'], jennifer: ['jen', 'jenny'],
  katherine: ['kate', 'kathy', 'katie'], rebecca: ['becky'], samantha: ['sam'], victoria: ['vicky'], susan: ['sue', 'susie'],
  deborah: ['debbie', 'deb'], nicholas: ['nick'], alexander: ['alex'], benjamin: ['ben'], samuel: ['sam'], timothy: ['tim'],
};

/** Yields the records of a synthetic population one by one (households together), with the truth. */
export function* generatePopulation(options: PopulationOptions = {}): Generator<GeneratedRecord> {
  const random = rng(options.seed ?? 1);
  const people = options.people ?? 10_000;
  const o = { duplicateRate: 0.25, errorRate: 0.15, twinRate: 0.08, juniorRate: 0.08, householdExtra: 1.6, moveRate: 0.1, ...options };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number): boolean => random() < p;
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const date = (y: number): string => `${y}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const address = (): { line: string; city: string; state: string; zip: string; phone: string } => {
    const [city, state, zip3] = pick(TOWNS);
    const unit = chance(0.15) ? ` apt ${1 + Math.floor(random() * 40)}` : '';
    return { line: `${1 + Math.floor(random() * 9999)} ${pick(STREETS)} ${pick(STREET_TYPES)}${unit}`, city, state, zip: zip3 + digits(2), phone: `${2 + Math.floor(random() * 8)}${digits(9)}` };
  };
  let person = 0;
  let household = 0;
  let serial = 0;
  const distinctGiven = (sex: 'M' | 'F', taken: string[]): string => {
    for (;;) {
      const g = pick(sex === 'M' ? MALE : FEMALE);
      if (!taken.some((t) => t[0] === g[0] || t === g)) return g;
    }
  };
  while (person < people) {
    household++;
    const home = address();
    const surname = (): string => (o.manyNames && chance(0.7) ? pick(SURNAME_HEADS) + pick(SURNAME_TAILS) : pick(SURNAMES));
    const family = chance(0.04) ? `${surname()}-${surname()}` : surname();
    let size = 1;
    while (random() < o.householdExtra / (1 + o.householdExtra) && size < 8) size++;
    const members: { given: string; middle: string; sex: 'M' | 'F'; dob: string; suffix: string; family: string }[] = [];
    const parentYear = 1940 + Math.floor(random() * 60);
    for (let k = 0; k < size; k++) {
      const adult = k < 2;
      const sex: 'M' | 'F' = k === 0 ? 'M' : k === 1 ? 'F' : chance(0.5) ? 'M' : 'F';
      const year = adult ? parentYear + Math.floor(random() * 5) : Math.min(2024, parentYear + 22 + Math.floor(random() * 18));
      const m = { given: distinctGiven(sex, members.map((x) => x.given)), middle: chance(0.4) ? pick(sex === 'M' ? MALE : FEMALE) : '', sex, dob: date(year), suffix: '', family: adult && k === 1 && chance(0.2) ? surname() : family };
      members.push(m);
      if (!adult && k >= 3 && chance(o.twinRate * 2)) members[k - 1] = { ...m, dob: members[k - 2]?.dob ?? m.dob, given: distinctGiven(m.sex, members.map((x) => x.given)) };
    }
    if (size >= 3 && chance(o.twinRate)) {
      const twin = members[2]!;
      const sex: 'M' | 'F' = chance(0.5) ? twin.sex : twin.sex === 'M' ? 'F' : 'M';
      members.push({ given: distinctGiven(sex, members.map((x) => x.given)), middle: chance(0.4) ? pick(sex === 'M' ? MALE : FEMALE) : '', sex, dob: twin.dob, suffix: '', family: twin.family });
    }
    if (size >= 3 && chance(o.juniorRate)) {
      const father = members[0]!;
      const jr = members.findIndex((m, i) => i >= 2 && m.sex === 'M');
      if (jr > 0) {
        members[jr] = { ...members[jr]!, given: father.given, middle: father.middle, family: father.family, suffix: chance(0.7) ? 'Jr' : '' };
        if (chance(0.5)) father.suffix = 'Sr';
      }
    }
    const landline = chance(0.5);
    for (const m of members) {
      const id = person++;
      const base: PersonRecord = {
        id: '', given_name: m.given, middle_name: m.middle, family_name: m.family, suffix: m.suffix, birth_date: m.dob, sex: m.sex,
        address_line: home.line, city: home.city, state: home.state, postal_code: home.zip,
        phone: landline ? home.phone : `${2 + Math.floor(random() * 8)}${digits(9)}`,
        ssn: chance(0.75) ? `${1 + Math.floor(random() * 665)}`.padStart(3, '0') + digits(6) : '',
        email: chance(0.5) ? `${m.given}.${m.family.replace(/[^a-z]/g, '')}${digits(2)}@example.com` : '',
      };
      yield { record: { ...base, id: `P${++serial}` }, person: id, household };
      if (!chance(o.duplicateRate)) continue;
      const dups = 1 + (chance(0.3) ? 1 : 0) + (chance(0.1) ? 1 : 0);
      for (let d = 0; d < dups; d++) yield { record: corrupt({ ...base, id: `P${++serial}` }), person: id, household };
    }
  }

  function corrupt(r: PersonRecord): PersonRecord {
    const e = o.errorRate;
    const typo = (s: string): string => {
      if (s.length < 3) return s;
      const i = 1 + Math.floor(random() * (s.length - 2));
      const kind = Math.floor(random() * 4);
      const c = String.fromCharCode(97 + Math.floor(random() * 26));
      if (kind === 0) return s.slice(0, i) + s.slice(i + 1);
      if (kind === 1) return s.slice(0, i) + c + s.slice(i);
      if (kind === 2) return s.slice(0, i) + c + s.slice(i + 1);
      return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1);
    };
    if (chance(e)) r.given_name = typo(r.given_name ?? '');
    if (chance(e * 0.8)) r.given_name = NICKS[r.given_name ?? '']?.[0] ?? r.given_name;
    if (chance(e)) r.family_name = typo(r.family_name ?? '');
    if (chance(e * 0.2)) [r.given_name, r.family_name] = [r.family_name, r.given_name];
    if (chance(e * 0.3)) r.given_name = r.given_name?.toUpperCase();
    if (chance(e * 0.5) && r.birth_date) {
      const [y, m, d] = r.birth_date.split('-');
      r.birth_date = chance(0.5) && Number(d) <= 12 ? `${y}-${d}-${m}` : `${y}-${m}-${String(((Number(d) + 8) % 28) + 1).padStart(2, '0')}`;
    }
    if (chance(e * 0.5) && r.birth_date) r.birth_date = r.birth_date.replace(/-/g, '');
    if (chance(o.moveRate)) {
      const a = address();
      Object.assign(r, { address_line: a.line, city: a.city, state: a.state, postal_code: a.zip, phone: chance(0.5) ? a.phone : r.phone });
    } else if (chance(e)) r.address_line = (r.address_line ?? '').replace(/ street$/, ' st').replace(/ avenue$/, ' ave').replace(/ apt /, ' # ');
    for (const f of ['middle_name', 'suffix', 'birth_date', 'sex', 'address_line', 'phone', 'ssn', 'email', 'postal_code', 'city'] as const) if (chance(e * 0.6)) r[f] = '';
    if (chance(e * 0.3) && r.ssn) r.ssn = typo(r.ssn);
    if (chance(e * 0.3) && r.phone) r.phone = `(${r.phone.slice(0, 3)}) ${r.phone.slice(3, 6)}-${r.phone.slice(6)}`;
    return r;
  }
}

/** The whole population at once, in a seeded shuffled order. */
export function generatePopulationArray(options: PopulationOptions = {}): { records: PersonRecord[]; truth: Map<string, number>; households: Map<string, number> } {
  const all = [...generatePopulation(options)];
  const random = rng((options.seed ?? 1) ^ 0x5eed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { records: all.map((g) => g.record), truth: new Map(all.map((g) => [g.record.id, g.person])), households: new Map(all.map((g) => [g.record.id, g.household])) };
}
