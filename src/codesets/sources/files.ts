import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { SourceError } from '../model.js';

/** One file to import: a plain file, a member of a zip, or a .gz unpacked. Read lazily. */
export interface SourceFile {
  /** Where it came from, for messages: `/path/a.zip!member.txt`. */
  display: string;
  /** Base name without a trailing .gz. */
  name: string;
  read(): Promise<Buffer>;
}

export interface SourceLimits {
  /** Largest uncompressed size of one member or .gz (bytes). */
  maxEntryBytes: number;
  /** Largest compression ratio accepted for a member above 1 MiB. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: SourceLimits = { maxEntryBytes: 512 * 1024 * 1024, maxRatio: 200 };

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

function gunzip(buf: Buffer, display: string, limits: SourceLimits): Buffer {
  try {
    return zlib.gunzipSync(buf, { maxOutputLength: limits.maxEntryBytes });
  } catch (cause) {
    const msg = (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? `unpacks to more than ${limits.maxEntryBytes} bytes (refused)` : 'is not a valid gzip file (truncated?)';
    throw new SourceError(display, null, msg);
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(new SourceError(file, null, `is not a readable zip archive (${err?.message ?? 'unknown error'})`));
      else resolve(zip);
    });
  });
}

/** The member's path stays inside the archive: a real boundary check on the resolved path. */
function insideArchive(name: string): boolean {
  const root = path.resolve('/archive-root');
  const resolved = path.resolve(root, name);
  return !path.isAbsolute(name) && !name.includes('\\') && resolved.startsWith(root + path.sep);
}

async function zipMembers(file: string, limits: SourceLimits, opened: yauzl.ZipFile[]): Promise<SourceFile[]> {
  const zip = await openZip(file);
  opened.push(zip);
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(new SourceError(file, null, `unsafe or damaged zip: ${err.message}`)));
    zip.readEntry();
  });
  const members: SourceFile[] = [];
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    const display = `${file}!${entry.fileName}`;
    if (!insideArchive(entry.fileName)) throw new SourceError(display, null, 'the member path escapes the archive (refused)');
    if (entry.uncompressedSize > limits.maxEntryBytes) throw new SourceError(display, null, `unpacks to ${entry.uncompressedSize} bytes, over the limit (refused)`);
    if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
      throw new SourceError(display, null, `compression ratio over ${limits.maxRatio}:1 looks like a zip bomb (refused)`);
    }
    const base = path.posix.basename(entry.fileName);
    members.push({
      display,
      name: base.replace(/\.gz$/i, ''),
      read: () =>
        new Promise<Buffer>((resolve, reject) => {
          zip.openReadStream(entry, (err, stream) => {
            if (err || !stream) return reject(new SourceError(display, null, `cannot be read (${err?.message ?? 'unknown'})`));
            const chunks: Buffer[] = [];
            let total = 0;
            stream.on('data', (c: Buffer) => {
              total += c.length;
              if (total > limits.maxEntryBytes) stream.destroy(new Error('too large'));
              else chunks.push(c);
            });
            stream.on('error', (e: Error) => reject(new SourceError(display, null, `is damaged or truncated (${e.message})`)));
            stream.on('end', () => {
              const buf = Buffer.concat(chunks);
              resolve(/\.gz$/i.test(base) ? gunzip(buf, display, limits) : buf);
            });
          });
        }),
    });
  }
  return members;
}

/**
 * Every importable file under the given paths: folders are searched recursively, zips are opened (their
 * members listed, nothing extracted to disk), `.gz` files are unpacked in memory with a size limit.
 * `.xlsx` files are returned as files (they are zips, read by the xlsx reader).
 */
export interface Sources {
  files: SourceFile[];
  /** The archives opened, with their size and SHA-256 (recorded as the release's sources). */
  zips: { file: string; bytes: number; sha256: string }[];
  close(): void;
}

export async function collectSources(paths: string[], limits: SourceLimits = DEFAULT_LIMITS): Promise<Sources> {
  const opened: yauzl.ZipFile[] = [];
  const files: SourceFile[] = [];
  const zips: { file: string; bytes: number; sha256: string }[] = [];
  const visit = async (p: string): Promise<void> => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new SourceError(p, null, 'does not exist');
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(p).sort()) {
        if (!child.startsWith('.')) await visit(path.join(p, child));
      }
      return;
    }
    if (/\.zip$/i.test(p)) {
      zips.push({ file: p, bytes: stat.size, sha256: sha256(fs.readFileSync(p)) });
      files.push(...(await zipMembers(p, limits, opened)));
      return;
    }
    const base = path.basename(p);
    files.push({
      display: p,
      name: base.replace(/\.gz$/i, ''),
      read: () => Promise.resolve(/\.gz$/i.test(base) ? gunzip(fs.readFileSync(p), p, limits) : fs.readFileSync(p)),
    });
  };
  const close = () => {
    for (const z of opened) z.close();
  };
  try {
    for (const p of paths) await visit(path.resolve(p));
  } catch (error) {
    close();
    throw error;
  }
  return { files, zips, close };
}
