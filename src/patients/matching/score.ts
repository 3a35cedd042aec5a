import { compareLevels, FIELDS, isSharedToken, LEVELS, LOCATION_FIELDS } from './levels.js';
import { normalise } from './normalise.js';
import type { Contribution, Decision, Field, Model, NormRecord, PairScore, PersonRecord } from './types.js';

/** Weights of the household rules (fixed, not learned: see README "Households"). */
export const HOUSEHOLD = {
  /** Extra weight against, beyond cancelling the shared address, when the given names differ. */
  differentGiven: -4,
  /** …and when the birth date agrees too (twins). */
  twins: -6,
  /** Both records carry a generational suffix and they differ (Jr vs Sr). */
  suffixDifferent: -12,
  /** Share of each location contribution after the largest that still counts (shared address, city, postcode). */
  locationOverlap: 0.5,
};

const W_MIN = -16;
const W_MAX = 24;
const clamp = (w: number): number => Math.max(W_MIN, Math.min(W_MAX, w));
const round = (w: number): number => Math.round(w * 1000) / 1000;

interface Compiled {
  weights: Float64Array[];
  tfM: Float64Array;
  prior: number;
}
const compiledCache = new WeakMap<Model, Compiled>();

function compile(model: Model): Compiled {
  let c = compiledCache.get(model);
  if (c) return c;
  const weights = FIELDS.map((f) => {
    const fm = model.fields[f];
    const w = new Float64Array(LEVELS[f].length);
    if (fm) {
      // A model stored before a level was added: levels are matched by label; one it lacks weighs as its last level.
      const byLabel = fm.levels.length === w.length ? null : new Map(fm.levels.map((x) => [x.label, x]));
      for (let l = 1; l < w.length; l++) {
        const lv = byLabel ? (byLabel.get(LEVELS[f][l]!) ?? fm.levels[fm.levels.length - 1]!) : fm.levels[l]!;
        w[l] = clamp(Math.log2(lv.m / lv.u));
      }
    }
    return w;
  });
  const tfM = new Float64Array(FIELDS.length);
  FIELDS.forEach((f, i) => (tfM[i] = model.fields[f]?.levels[1]?.m ?? 0));
  c = { weights, tfM, prior: Math.log2(model.lambda / (1 - model.lambda)) };
  compiledCache.set(model, c);
  return c;
}

/** The one name token the full-name comparison found shared. */
function sharedToken(a: NormRecord, b: NormRecord): string {
  return a.nameTokens.find((t) => isSharedToken(a, b, t)) ?? '';
}

function exactValue(f: Field, r: NormRecord): string {
  return f === 'given_name' ? r.given : r.family;
}

/**
 * Scores one pair. With `explain` the contributions are pushed there (the waterfall); without, only the score is
 * computed (the fast path of batch dedupe). Both paths run the same code.
 */
export function scoreLevels(model: Model, a: NormRecord, b: NormRecord, levels: Uint8Array, explain?: Contribution[], parts?: ScoreParts): number {
  const c = compile(model);
  let total = c.prior;
  let against = 0;
  explain?.push({ field: 'prior', level: 'prior', weight: round(c.prior) });
  let locPositive = 0;
  let locMax = 0;
  for (let i = 0; i < FIELDS.length; i++) {
    const l = levels[i]!;
    if (l === 0) continue;
    const f = FIELDS[i]!;
    let w = c.weights[i]![l]!;
    const fm = model.fields[f];
    if (l === 1 && fm?.tf && (f === 'given_name' || f === 'family_name')) {
      const share = fm.tf[exactValue(f, a)] ?? fm.tfOther;
      if (share && c.tfM[i]! > 0) w = clamp(Math.log2(c.tfM[i]! / share));
    } else if (f === 'full_name' && l === 2 && fm?.tf) {
      // One shared token: a rare middle name or other surname says more than a common one.
      const share = fm.tf[sharedToken(a, b)] ?? fm.tfOther;
      const m = fm.levels[2]?.m ?? 0;
      if (share && m > 0) w = clamp(Math.log2(m / share));
    }
    if (LOCATION_FIELDS.includes(f) && w > 0) {
      locPositive += w;
      if (w > locMax) locMax = w;
    }
    total += w;
    if (w < 0) against += w;
    explain?.push({ field: f, level: LEVELS[f][l]!, weight: round(w) });
  }
  if (locPositive > locMax) {
    const overlap = -(locPositive - locMax) * (1 - HOUSEHOLD.locationOverlap);
    total += overlap;
    locPositive += overlap;
    explain?.push({ field: 'location', level: 'overlap', weight: round(overlap) });
  }
  // Household evidence: what a shared address cannot explain counts against the match.
  const [given, family, dob] = [levels[0]!, levels[1]!, levels[2]!];
  const familyAgrees = family >= 1 && family <= 3;
  const sameHome = levels[6] === 1 || levels[6] === 2 || levels[9] === 1;
  // A shared unique identifier (SSN, e-mail) is not a household trait: the household rules stand down.
  const sharedId = levels[4] === 1 || levels[4] === 2 || levels[5] === 1;
  const dobAgrees = dob >= 1 && dob <= 3;
  const givenDiffers = given === 7 || (given === 5 && !dobAgrees);
  if (sameHome && !sharedId && givenDiffers) {
    // Twins: the shared birth date is explained by the household too.
    const twins = familyAgrees && dobAgrees;
    const w = model.householdStrength * (-locPositive + (twins ? -Math.max(0, c.weights[2]![dob]!) + HOUSEHOLD.twins : HOUSEHOLD.differentGiven));
    total += w;
    against += Math.min(0, w);
    explain?.push({ field: 'household', level: twins ? 'twins' : 'different-given-name', weight: round(w) });
  } else if (sameHome && !sharedId && familyAgrees && given >= 1 && given <= 3 && dob === 7) {
    const w = -locPositive * model.householdStrength;
    total += w;
    against += Math.min(0, w);
    explain?.push({ field: 'household', level: 'other-generation', weight: round(w) });
  }
  if (a.suffix && b.suffix && a.suffix !== b.suffix) {
    total += HOUSEHOLD.suffixDifferent;
    against += HOUSEHOLD.suffixDifferent;
    explain?.push({ field: 'suffix', level: 'different', weight: HOUSEHOLD.suffixDifferent });
  }
  if (parts) parts.against = against;
  return total;
}

/** What a score is made of, beyond the total. */
export interface ScoreParts {
  /**
   * The evidence against the match (≤ 0): the sum of the negative field weights and household rules. A pair can
   * score low because its records disagree (much evidence against) or because they share little (a name, no more).
   */
  against: number;
}

export function decide(model: Model, score: number): Decision {
  return score >= model.thresholds.link ? 'match' : score >= model.thresholds.review ? 'review' : 'non-match';
}

const scratch = new Uint8Array(FIELDS.length);

/** Scores two normalised records (fast path, no explanation); `parts` receives the evidence against. */
export function scoreNorm(model: Model, a: NormRecord, b: NormRecord, parts?: ScoreParts): number {
  return scoreLevels(model, a, b, compareLevels(a, b, scratch), undefined, parts);
}

/**
 * Compares two person records and explains the score.
 * @param a - one record (raw or already normalised)
 * @param b - the other
 * @param model - m/u, term frequencies, prior and thresholds (from `estimateModel` or stored)
 * @returns `{ score, decision, contributions }`: the score is the match weight (log2 odds), the sum of the contributions
 */
export function compare(a: PersonRecord | NormRecord, b: PersonRecord | NormRecord, model: Model): PairScore {
  const na = 'givenTokens' in a ? a : normalise(a);
  const nb = 'givenTokens' in b ? b : normalise(b);
  const contributions: Contribution[] = [];
  const score = scoreLevels(model, na, nb, compareLevels(na, nb, new Uint8Array(FIELDS.length)), contributions);
  return { score: round(score), decision: decide(model, score), contributions };
}
