import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../platform/errors/app-error.js';

/** One release file to fetch, as listed in config/codeset-sources.json (or CHARTROOM_CODESET_SOURCES). */
export interface DownloadSource {
  url: string;
  name?: string;
  sha256?: string;
  bytes?: number;
}

const HARD_LIMIT = 1024 * 1024 * 1024;

export function readSourceList(file: string): DownloadSource[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new AppError('CODESET_FILE_INVALID', `${file} is not a readable JSON list of download sources.`);
  }
  const list = (raw as { sources?: unknown }).sources;
  if (!Array.isArray(list) || list.some((s) => typeof (s as DownloadSource).url !== 'string')) {
    throw new AppError('CODESET_FILE_INVALID', `${file} must hold {"sources": [{"url": …, "sha256"?: …, "bytes"?: …}]}.`);
  }
  return list as DownloadSource[];
}

/**
 * Fetches each source into `dir`, streaming to disk while hashing; a file whose size or SHA-256 differs
 * from the configuration is deleted and the download refused. Files already there with the right
 * checksum are not fetched again.
 * @returns the paths of the downloaded files
 */
export async function downloadSources(sources: DownloadSource[], dir: string, progress: (name: string, done: number, total: number) => void = () => undefined): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const [i, s] of sources.entries()) {
    const name = s.name ?? decodeURIComponent(new URL(s.url).pathname.split('/').pop() ?? `download-${i}`);
    if (!/^[\w.() -]+$/.test(name)) throw new AppError('CODESET_FILE_INVALID', `refusing to save a download as "${name}"`);
    const target = path.join(dir, name);
    progress(name, i, sources.length);
    if (s.sha256 && fs.existsSync(target) && createHash('sha256').update(fs.readFileSync(target)).digest('hex') === s.sha256) {
      out.push(target);
      continue;
    }
    let res: Response;
    try {
      res = await fetch(s.url, { redirect: 'follow' });
    } catch (cause) {
      throw new AppError('CODESET_DOWNLOAD_FAILED', `could not fetch ${s.url}: ${(cause as Error).message}`, { cause });
    }
    if (!res.ok || !res.body) throw new AppError('CODESET_DOWNLOAD_FAILED', `${s.url} answered ${res.status}`);
    const limit = s.bytes ?? HARD_LIMIT;
    const hash = createHash('sha256');
    const tmp = `${target}.part`;
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (bytes > limit) throw new AppError('CODESET_DOWNLOAD_FAILED', `${s.url} is larger than the ${limit} bytes configured`);
        hash.update(chunk);
        fs.writeSync(fd, chunk);
      }
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    const digest = hash.digest('hex');
    if ((s.bytes !== undefined && bytes !== s.bytes) || (s.sha256 !== undefined && digest !== s.sha256)) {
      fs.rmSync(tmp, { force: true });
      throw new AppError('CODESET_DOWNLOAD_FAILED', `${s.url}: got ${bytes} bytes with SHA-256 ${digest}, expected ${s.bytes ?? 'any size'} / ${s.sha256 ?? 'any checksum'}`);
    }
    fs.renameSync(tmp, target);
    out.push(target);
  }
  progress('done', sources.length, sources.length);
  return out;
}
