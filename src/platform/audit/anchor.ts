import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The head of the chain, kept outside the database (under the data directory) and signed with the
 * audit key, so that cutting rows off the end of the chain through SQL is still detected.
 */
export interface Anchor {
  seq: number;
  eventId: number;
  hash: string;
  sealedAt: string;
}

function sign(key: Buffer, a: Anchor): string {
  return createHmac('sha256', key).update(`${a.seq}|${a.eventId}|${a.hash}|${a.sealedAt}`).digest('hex');
}

export function writeAnchor(file: string, key: Buffer, anchor: Anchor): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...anchor, mac: sign(key, anchor) }, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export type AnchorRead = { kind: 'none' } | { kind: 'invalid'; why: string } | { kind: 'ok'; anchor: Anchor };

export function readAnchor(file: string, key: Buffer): AnchorRead {
  if (!fs.existsSync(file)) return { kind: 'none' };
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Anchor & { mac: string };
    const anchor: Anchor = { seq: raw.seq, eventId: raw.eventId, hash: raw.hash, sealedAt: raw.sealedAt };
    const expected = Buffer.from(sign(key, anchor), 'hex');
    const given = Buffer.from(String(raw.mac), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { kind: 'invalid', why: 'the anchor file signature does not match the audit key' };
    }
    return { kind: 'ok', anchor };
  } catch {
    return { kind: 'invalid', why: 'the anchor file cannot be read' };
  }
}
