/**
 * Clustering that does not chain. Links (pairs at or above the automatic-link threshold) are taken strongest first;
 * two clusters merge only when the pairs across them are, on average, close to link strength and few of them conflict
 * (score below the review threshold). One strong link between two households, or a record bridging two people,
 * therefore cannot pull two clusters together: every member has to support the merge (average linkage with a veto).
 */
export interface ClusterOptions {
  link: number;
  review: number;
  /** The average cross-pair score a merge needs (default: `link - 6`: a weak record may join, a conflicting one may not). */
  mergeMean?: number;
  /** Largest share of cross pairs below the review threshold that a merge tolerates (default 0.4). */
  maxConflictShare?: number;
  /** At most this many cross pairs are scored per merge (sampled evenly beyond it). */
  maxCrossPairs?: number;
  /** For linkage: records of one source never share a cluster. */
  source?: Uint8Array;
}

/**
 * The score a pair counts with when clusters merge. A pair below the review threshold whose evidence against
 * (`ScoreParts.against`, ≤ 0) stays under `conflictEvidence` bits does not disagree, it merely shares little (one
 * record has a name and little else): it counts at the review threshold, neither a conflict nor a drag on the mean.
 */
export function mergeScore(score: number, against: number, review: number, conflictEvidence: number): number {
  return against > -conflictEvidence ? Math.max(score, review) : score;
}

export interface Edge {
  i: number;
  j: number;
  score: number;
}

/** Returns the cluster label (root index) of every record. `score(i, j)` scores any pair on demand. */
export function clusterLinks(n: number, edges: Edge[], score: (i: number, j: number) => number, options: ClusterOptions): Int32Array {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  const maxConflict = options.maxConflictShare ?? 0.4;
  const maxCross = options.maxCrossPairs ?? 400;
  const sorted = [...edges].sort((x, y) => y.score - x.score);
  for (const e of sorted) {
    const ra = find(e.i);
    const rb = find(e.j);
    if (ra === rb) continue;
    const A = membersOf(ra);
    const B = membersOf(rb);
    if (options.source && A.some((a) => B.some((b) => options.source![a] === options.source![b]))) continue;
    const total = A.length * B.length;
    if (total > 1) {
      const step = total > maxCross ? total / maxCross : 1;
      let sum = 0;
      let count = 0;
      let conflicts = 0;
      for (let k = 0; k < total; k += step) {
        const idx = Math.floor(k);
        const a = A[Math.floor(idx / B.length)]!;
        const b = B[idx % B.length]!;
        const s = (a === e.i && b === e.j) || (a === e.j && b === e.i) ? e.score : score(a, b);
        sum += s;
        count++;
        if (s < options.review) conflicts++;
      }
      if (sum / count < (options.mergeMean ?? options.link - 6) || conflicts > maxConflict * count) continue;
    }
    const [big, small] = A.length >= B.length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    members.set(big, [...membersOf(big), ...membersOf(small)]);
    members.delete(small);
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = find(i);
  return label;
}
