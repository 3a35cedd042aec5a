import { BLOCKING_PASSES, defaultPairBudget, forEachCandidate, type BlockingPass } from './blocking.js';
import { clusterLinks, mergeScore, type Edge } from './cluster.js';
import { estimateModel, type EstimateOptions } from './model.js';
import { normalise } from './normalise.js';
import { scoreNorm, type ScoreParts } from './score.js';
import type { Model, NormRecord, PersonRecord } from './types.js';

export interface DedupeOptions extends EstimateOptions {
  /** A model to use as it is (otherwise estimated from the records). */
  model?: Model;
  passes?: BlockingPass[];
  /** Blocks larger than this are skipped (default 1,000 records). */
  maxBlockSize?: number;
  /** The most pairs one blocking pass may produce (default `defaultPairBudget(records)`: 3 per record, at least 200,000). */
  pairBudget?: number;
  maxConflictShare?: number;
  mergeMean?: number;
  /**
   * Bits of evidence against (see `ScoreParts`) from which a pair below the review threshold counts as a conflict
   * when clusters merge (default 6). A pair with less evidence against merely shares little (one record has a name
   * and little else): it counts at the review threshold, neither a conflict nor a drag on the merge's average.
   */
  conflictEvidence?: number;
}

export interface ScoredPair {
  a: string;
  b: string;
  score: number;
  decision: 'match' | 'review';
}

export interface DedupeStats {
  records: number;
  candidatePairs: number;
  /** Candidate pairs at or above the review threshold. */
  retainedPairs: number;
  links: number;
  clusters: number;
  passes: { name: string; pairs: number; skippedBlocks: number }[];
  /** Milliseconds per step: estimating, blocking (with scoring), clustering. */
  timings: Record<string, number>;
  model: Model;
}

export interface DedupeResult {
  pairs: ScoredPair[];
  /** Clusters of two or more records, as ids. */
  clusters: string[][];
  stats: DedupeStats;
}

/** progress(step, done, total): steps are 'normalising', 'estimating', 'blocking', 'clustering'. */
export type Progress = (step: string, done: number, total: number) => void;

function run(recs: NormRecord[], options: DedupeOptions, progress: Progress, source?: Uint8Array): DedupeResult {
  const n = recs.length;
  progress('estimating', 0, 1);
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = Math.round(t - t0);
    t0 = t;
  };
  const model = options.model ?? estimateModel(recs, { ...options, source });
  progress('estimating', 1, 1);
  lap('estimating');
  const { link, review } = model.thresholds;
  const passes = options.passes ?? BLOCKING_PASSES;
  const retained = new Map<number, number>();
  const edges: Edge[] = [];
  const passStats = passes.map((p) => ({ name: p.name, pairs: 0, skippedBlocks: 0 }));
  let candidatePairs = 0;
  forEachCandidate(
    recs,
    passes,
    { maxBlockSize: options.maxBlockSize ?? 1000, pairBudget: options.pairBudget ?? defaultPairBudget(n), source },
    (i, j, p) => {
      candidatePairs++;
      passStats[p]!.pairs++;
      const s = scoreNorm(model, recs[i]!, recs[j]!);
      if (s < review) return;
      retained.set(i * n + j, s);
      if (s >= link) edges.push({ i, j, score: s });
    },
    (p, skipped) => {
      passStats[p]!.skippedBlocks = skipped;
      progress('blocking', p + 1, passes.length);
    },
  );
  lap('blocking');
  const pairScore = (i: number, j: number): number => {
    const key = i < j ? i * n + j : j * n + i;
    return retained.get(key) ?? scoreNorm(model, recs[i]!, recs[j]!);
  };
  const conflictEvidence = options.conflictEvidence ?? 6;
  const parts: ScoreParts = { against: 0 };
  const crossScore = (i: number, j: number): number => {
    const kept = retained.get(i < j ? i * n + j : j * n + i);
    if (kept !== undefined) return kept;
    const s = scoreNorm(model, recs[i]!, recs[j]!, parts);
    return mergeScore(s, parts.against, review, conflictEvidence);
  };
  const label = clusterLinks(n, edges, crossScore, { link, review, maxConflictShare: options.maxConflictShare, mergeMean: options.mergeMean, source });
  progress('clustering', 1, 1);
  lap('clustering');
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(label[i]!);
    if (g) g.push(i);
    else groups.set(label[i]!, [i]);
  }
  const pairs: ScoredPair[] = [];
  const clusters: string[][] = [];
  const round = (s: number): number => Math.round(s * 1000) / 1000;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    clusters.push(g.map((i) => recs[i]!.id));
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) {
        const [i, j] = [g[x]!, g[y]!];
        if (source && source[i] === source[j]) continue;
        pairs.push({ a: recs[i]!.id, b: recs[j]!.id, score: round(pairScore(i, j)), decision: 'match' });
      }
  }
  for (const [key, s] of retained) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (label[i] !== label[j]) pairs.push({ a: recs[i]!.id, b: recs[j]!.id, score: round(s), decision: 'review' });
  }
  return {
    pairs,
    clusters,
    stats: { records: n, candidatePairs, retainedPairs: retained.size, links: edges.length, clusters: clusters.length, passes: passStats, timings, model },
  };
}

const noProgress: Progress = () => {};

function normaliseAll(records: (PersonRecord | NormRecord)[], progress: Progress, offset = 0, total = records.length): NormRecord[] {
  const out: NormRecord[] = new Array<NormRecord>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    out[i] = 'givenTokens' in r ? r : normalise(r);
    if (i % 10000 === 0) progress('normalising', offset + i, total);
  }
  return out;
}

/**
 * Finds the duplicates among records: blocking, scoring, clustering.
 * @returns every pair the clustering places in one patient (`match`), the pairs left for review, the clusters and stats
 */
export function dedupe(records: (PersonRecord | NormRecord)[], options: DedupeOptions = {}, progress: Progress = noProgress): DedupeResult {
  return run(normaliseAll(records, progress), options, progress);
}

/** Links two sets of records (each assumed free of duplicates): only pairs across the sets, one-to-one clusters. */
export function link(
  recordsA: (PersonRecord | NormRecord)[],
  recordsB: (PersonRecord | NormRecord)[],
  options: DedupeOptions = {},
  progress: Progress = noProgress,
): DedupeResult {
  const total = recordsA.length + recordsB.length;
  const recs = [...normaliseAll(recordsA, progress, 0, total), ...normaliseAll(recordsB, progress, recordsA.length, total)];
  const source = new Uint8Array(total);
  source.fill(1, recordsA.length);
  return run(recs, options, progress, source);
}
