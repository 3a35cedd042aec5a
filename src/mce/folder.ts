/** Reads MCE version folders from disk: the only file I/O of the module (import and tests use it). */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FOLDER_FILES, type FolderText } from './engine/parse.js';

export interface FolderSource {
  file: string;
  bytes: number;
  sha256: string;
}

export interface ReadFolder {
  dir: string;
  text: FolderText;
  sources: FolderSource[];
}

/** Whether a directory is an MCE version folder (holds `meta.tsv` and `diagnoses.tsv.gz`). */
async function isVersionFolder(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.includes(FOLDER_FILES.meta) && names.includes(FOLDER_FILES.diagnoses);
}

/** The version folders under a path: the path itself if it is one, else its sub-folders that are, by name. */
export async function findVersionFolders(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) return [];
  if (await isVersionFolder(root)) return [root];
  const out: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    const dir = path.join(root, name);
    if ((await stat(dir)).isDirectory() && (await isVersionFolder(dir))) out.push(dir);
  }
  return out;
}

/** Reads every file of one version folder, decompressing the masters, with each file's SHA-256. */
export async function readVersionFolder(dir: string): Promise<ReadFolder> {
  const sources: FolderSource[] = [];
  const text: Partial<FolderText> = { folder: path.basename(dir) };
  for (const [key, name] of Object.entries(FOLDER_FILES) as [keyof typeof FOLDER_FILES, string][]) {
    const buf = await readFile(path.join(dir, name));
    sources.push({ file: name, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') });
    text[key] = (name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  }
  return { dir, text: text as FolderText, sources };
}
