import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFINITION_FILES } from './engine/definitions.js';

/** One definitions file as read from a version folder. */
export interface DefinitionFile {
  name: string;
  /** The file's name on disk (with `.gz` when gzipped). */
  stored: string;
  sha256: string;
  text: string;
}

/**
 * Read a version folder's definition files (plain or gzipped). Missing files are left out; the parser reports
 * the first one it needs.
 * @param folder - e.g. ../shared/refdata/msdrg/v43.0
 */
export async function readVersionFolder(folder: string): Promise<DefinitionFile[]> {
  const out: DefinitionFile[] = [];
  for (const name of DEFINITION_FILES) {
    for (const stored of [name, `${name}.gz`]) {
      const file = path.join(folder, stored);
      if (!existsSync(file)) continue;
      const bytes = await readFile(file);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const raw = stored.endsWith('.gz') ? gunzipSync(bytes) : bytes;
      out.push({ name, stored, sha256, text: raw.toString('utf8') });
      break;
    }
  }
  return out;
}

/** The file map `parseDefinitions` takes. */
export function asTextMap(files: readonly DefinitionFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.name, f.text]));
}
