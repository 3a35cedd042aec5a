import fs from 'node:fs';
import { compare, estimateModel, type Model, type PersonRecord } from './matching/index.js';
import { generatePopulationArray } from './matching/population/generate.js';
import { parseNicknames } from './matching/nicknames.js';
import type { Demographics } from './demographics.js';
import type { PairScore } from './service.js';

/** Demographics as the matching engine reads them (first name, first address, first phone). */
export function toPersonRecord(id: string, d: Demographics): PersonRecord {
  const n = d.names[0];
  const a = d.addresses[0];
  return {
    id, given_name: n?.given ?? null, middle_name: n?.middle ?? null, family_name: n?.family ?? null, suffix: n?.suffix ?? null,
    birth_date: d.birthDate, sex: d.sex === 'U' ? null : d.sex, address_line: a?.line1 ?? null, city: a?.city ?? null, state: a?.state ?? null,
    postal_code: a?.postalCode ?? null, phone: d.phones[0]?.number ?? null, ssn: d.ssn ?? null, email: d.email ?? null,
  };
}

/** A model estimated once from a seeded synthetic population (before `mpi scan` has estimated one from real data). */
function fallbackModel(): Model {
  return estimateModel(generatePopulationArray({ seed: 20261201, people: 4000 }).records);
}

/**
 * The model the online scorer uses (registration, FHIR $match, the work list): the one `mpi scan` estimated from
 * this index's own patients when there is one, else one estimated once from a seeded synthetic population.
 */
export class MatchModel {
  private model: Model | null = null;
  private loadedAt = 0;

  /** @param load - the newest stored model (null when `mpi scan` has not run yet) */
  constructor(private readonly load: () => Promise<Model | null>, private readonly refreshMs = 60_000) {}

  /** Loads the stored model (at most once a minute), else estimates one from a seeded synthetic population. */
  async ready(): Promise<void> {
    if (this.model && Date.now() - this.loadedAt < this.refreshMs) return;
    this.model = (await this.load()) ?? this.model ?? fallbackModel();
    this.loadedAt = Date.now();
  }

  get(): Model {
    this.model ??= fallbackModel();
    return this.model;
  }

  set(model: Model): void {
    this.model = model;
    this.loadedAt = Date.now();
  }

  score(a: Demographics, b: Demographics): PairScore {
    return compare(toPersonRecord('a', a), toPersonRecord('b', b), this.get());
  }
}

const variants = (() => {
  const index = parseNicknames(fs.readFileSync(new URL('./matching/data/nicknames.tsv', import.meta.url), 'utf8'));
  const byConcept = new Map<string, Set<string>>();
  for (const [name, concepts] of index) for (const c of concepts) (byConcept.get(c) ?? byConcept.set(c, new Set()).get(c))?.add(name);
  return (given: string): string[] => {
    const out = new Set<string>();
    for (const c of index.get(given) ?? []) for (const n of byConcept.get(c) ?? []) if (n !== given) out.add(n);
    return [...out].slice(0, 20);
  };
})();

/** Given names that are nicknames or formal forms of `given` (normalised, lower case). */
export function nicknameVariants(given: string): string[] {
  return variants(given);
}
