import type pg from 'pg';
import { readAnchor } from './anchor.js';
import { contentHash, GENESIS_HASH, linkHash, macMatches } from './event.js';
import { recordFromRow, sealPending } from './sealer.js';

export interface ChainProblem {
  eventId: number | null;
  seq: number | null;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Events whose HMAC and chain link were checked. */
  checked: number;
  /** Events committed after the final seal pass: HMAC checked, not yet chained. */
  pending: number;
  headSeq: number;
  anchorSeq: number | null;
  problems: ChainProblem[];
}

const PAGE = 5000;
const MAX_PROBLEMS = 50;

/**
 * Checks the whole audit trail: every row's HMAC (catches altered and forged rows), every link of the
 * hash chain in sequence order (catches deleted and reordered rows), and the head against the anchor
 * kept outside the database (catches rows cut off the end). Seals pending events first, so every row
 * is covered.
 */
export async function verifyAuditChain(opts: {
  pool: pg.Pool;
  key: Buffer;
  anchorFile: string;
  onProgress?: (done: number, total: number) => void;
}): Promise<VerifyResult> {
  await sealPending(opts);
  const problems: ChainProblem[] = [];
  const report = (p: ChainProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const total = Number((await opts.pool.query<{ n: number }>('select count(*) as n from audit_seal')).rows[0]?.n ?? 0);
  let lastSeq = 0;
  let prev = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await opts.pool.query(
      `select s.seq, s.event_id as sealed_event, s.content_hash, s.prev_hash, s.hash, e.*
       from audit_seal s left join audit_event e on e.id = s.event_id
       where s.seq > $1 order by s.seq limit ${PAGE}`,
      [lastSeq],
    );
    for (const row of page.rows as Record<string, unknown>[]) {
      const seq = row.seq as number;
      const eventId = row.sealed_event as number;
      if (seq !== lastSeq + 1) {
        report({ eventId, seq, problem: `links ${lastSeq + 1}–${seq - 1} of the chain are missing (rows deleted)` });
      }
      if (row.prev_hash !== prev) {
        report({ eventId, seq, problem: 'the chain link does not follow from the previous one (rows deleted or inserted before it)' });
      }
      if (row.id === null || row.id === undefined) {
        report({ eventId, seq, problem: `event ${eventId} was deleted` });
      } else {
        const record = recordFromRow(row);
        if (!macMatches(opts.key, record, row.mac as string)) {
          report({ eventId, seq, problem: `event ${eventId} was altered or forged (its HMAC does not match)` });
        } else if (contentHash(record) !== row.content_hash) {
          report({ eventId, seq, problem: `event ${eventId} does not match its sealed content hash` });
        }
      }
      if (linkHash(row.prev_hash as string, seq, eventId, row.content_hash as string) !== row.hash) {
        report({ eventId, seq, problem: `the seal of event ${eventId} was altered` });
      }
      prev = row.hash as string;
      lastSeq = seq;
      checked++;
    }
    opts.onProgress?.(checked, total);
    if (page.rows.length < PAGE) break;
  }

  // Rows with no seal: either committed after the seal pass (valid HMAC) or inserted behind our back.
  let pending = 0;
  const unsealed = await opts.pool.query(
    'select e.* from audit_event e where not exists (select 1 from audit_seal s where s.event_id = e.id) order by e.id',
  );
  for (const row of unsealed.rows as Record<string, unknown>[]) {
    if (macMatches(opts.key, recordFromRow(row), row.mac as string)) pending++;
    else report({ eventId: row.id as number, seq: null, problem: `event ${String(row.id)} was inserted outside Chartroom (no valid HMAC)` });
  }

  const anchor = readAnchor(opts.anchorFile, opts.key);
  let anchorSeq: number | null = null;
  if (anchor.kind === 'invalid') {
    report({ eventId: null, seq: null, problem: anchor.why });
  } else if (anchor.kind === 'none') {
    if (lastSeq > 0) report({ eventId: null, seq: null, problem: `the chain head anchor file ${opts.anchorFile} is missing` });
  } else {
    anchorSeq = anchor.anchor.seq;
    const at = await opts.pool.query<{ hash: string }>('select hash from audit_seal where seq = $1', [anchor.anchor.seq]);
    if (at.rowCount === 0) {
      report({
        eventId: anchor.anchor.eventId,
        seq: anchor.anchor.seq,
        problem: `the chain ends at link ${lastSeq} but was anchored at link ${anchor.anchor.seq} (event ${anchor.anchor.eventId}): the newest rows were deleted`,
      });
    } else if (at.rows[0]?.hash !== anchor.anchor.hash) {
      report({ eventId: anchor.anchor.eventId, seq: anchor.anchor.seq, problem: 'the chain head differs from its anchor' });
    }
  }
  return { ok: problems.length === 0, checked, pending, headSeq: lastSeq, anchorSeq, problems };
}
