import { describe, expect, it } from 'vitest';
import { clusterLinks, mergeScore } from './cluster.js';

describe('clustering', () => {
  const opts = { link: 0, review: -8 };
  it('does not chain: A–B and B–C strong, A–C a conflict, C stays apart', () => {
    const s: Record<string, number> = { '0-1': 20, '1-2': 15, '0-2': -30 };
    const score = (i: number, j: number): number => s[`${Math.min(i, j)}-${Math.max(i, j)}`] ?? -30;
    const label = clusterLinks(3, [{ i: 0, j: 1, score: 20 }, { i: 1, j: 2, score: 15 }], score, opts);
    expect(label[0]).toBe(label[1]);
    expect(label[2]).not.toBe(label[0]);
  });
  it('joins a record weakly but consistently linked to every member', () => {
    const s: Record<string, number> = { '0-1': 20, '1-2': 5, '0-2': -2 };
    const score = (i: number, j: number): number => s[`${Math.min(i, j)}-${Math.max(i, j)}`]!;
    const label = clusterLinks(3, [{ i: 0, j: 1, score: 20 }, { i: 1, j: 2, score: 5 }], score, opts);
    expect(new Set(label).size).toBe(1);
  });
  it('a record that merely shares little with the other members joins; one that disagrees with them does not', () => {
    // 0,1,2 one person with full records; 3 links to 2 only; against 0 and 1 it scores -12.
    const edges = [{ i: 0, j: 1, score: 20 }, { i: 1, j: 2, score: 20 }, { i: 2, j: 3, score: 3 }];
    const cross = (against: number) => (i: number, j: number): number => {
      const s = (i === 3) !== (j === 3) ? ((i === 2 || j === 2) ? 3 : -12) : 20;
      return mergeScore(s, s < 0 ? against : 0, opts.review, 6);
    };
    // A name and little else in common (2 bits against): no conflict.
    expect(new Set(clusterLinks(4, edges, cross(-2), opts)).size).toBe(1);
    // Other birth dates and sex (14 bits against): two conflicts of three cross pairs, 3 stays apart.
    const label = clusterLinks(4, edges, cross(-14), opts);
    expect(label[3]).not.toBe(label[0]);
  });
  it('one strong link cannot merge two households of several members', () => {
    // 0,1,2 one person; 3,4,5 another; only 2–3 link.
    const score = (i: number, j: number): number => ((i < 3) === (j < 3) ? 20 : (i === 2 && j === 3) || (i === 3 && j === 2) ? 10 : -20);
    const edges = [{ i: 0, j: 1, score: 20 }, { i: 1, j: 2, score: 20 }, { i: 3, j: 4, score: 20 }, { i: 4, j: 5, score: 20 }, { i: 2, j: 3, score: 10 }];
    const label = clusterLinks(6, edges, score, opts);
    expect(new Set(label).size).toBe(2);
  });
  it('in linkage, never puts two records of one source together', () => {
    const source = Uint8Array.from([0, 1, 1]);
    const label = clusterLinks(3, [{ i: 0, j: 1, score: 20 }, { i: 0, j: 2, score: 19 }], () => 20, { ...opts, source });
    expect(label[0]).toBe(label[1]);
    expect(label[2]).not.toBe(label[0]);
  });
});
