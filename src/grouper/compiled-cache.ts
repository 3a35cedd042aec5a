import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { compileDefinitions } from './engine/compile.js';
import type { CompiledGrouper } from './engine/compiled.js';
import { parseDefinitions } from './engine/definitions.js';
import { restoreCompiled, serializeCompiled, SERIAL_FORMAT, type SerializedGrouper } from './engine/serialize.js';
import type { VersionRow } from './store.js';

interface CacheFile {
  contentSha256: string;
  compiled: SerializedGrouper;
}

interface IndexFile {
  format: number;
  versions: (Omit<VersionRow, 'importedAt'> & { importedAt: string })[];
}

/**
 * Compiled definitions under the data directory, one file per version named by its content checksum (so a file
 * can never stand for other content), plus an index of the loaded versions written after each import. The
 * files are a cache: deleting them only makes the next load parse the stored TSV text again.
 */
export class CompiledCache {
  constructor(private readonly dir: string) {}

  get directory(): string {
    return this.dir;
  }

  private file(row: Pick<VersionRow, 'contentSha256'>): string {
    return path.join(this.dir, `${row.contentSha256}.f${SERIAL_FORMAT}.bin`);
  }

  /** Writes whole or not at all; a cache that cannot be written (read-only data directory) is not an error. */
  private writeAtomic(file: string, bytes: Buffer): void {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }

  /** Files of this version in another (older) serialised format: no reader of this build can use them. */
  private dropOtherFormats(row: Pick<VersionRow, 'contentSha256'>): void {
    const mine = path.basename(this.file(row));
    try {
      for (const f of readdirSync(this.dir)) {
        if (f !== mine && f.startsWith(`${row.contentSha256}.f`) && f.endsWith('.bin')) rmSync(path.join(this.dir, f), { force: true });
      }
    } catch {
      // a cache that cannot be tidied is still a cache
    }
  }

  has(row: Pick<VersionRow, 'contentSha256'>): boolean {
    return existsSync(this.file(row));
  }

  /** Compile a version's stored files and write its cache file. */
  write(row: Pick<VersionRow, 'contentSha256'>, files: Record<string, string>): CompiledGrouper {
    const compiled = compileDefinitions(parseDefinitions(files));
    const body: CacheFile = { contentSha256: row.contentSha256, compiled: serializeCompiled(compiled) };
    this.writeAtomic(this.file(row), serialize(body));
    this.dropOtherFormats(row);
    return compiled;
  }

  /** The cached compiled version, or null when there is no usable file. */
  read(row: Pick<VersionRow, 'contentSha256'>): CompiledGrouper | null {
    const file = this.file(row);
    if (!existsSync(file)) return null;
    try {
      const body = deserialize(readFileSync(file)) as CacheFile;
      if (body.contentSha256 !== row.contentSha256) return null;
      return restoreCompiled(body.compiled);
    } catch {
      return null;
    }
  }

  /** Record which versions the database holds (written after an import commits). */
  writeIndex(versions: readonly VersionRow[]): void {
    const body: IndexFile = { format: SERIAL_FORMAT, versions: versions.map((v) => ({ ...v, importedAt: v.importedAt.toISOString() })) };
    this.writeAtomic(path.join(this.dir, 'index.json'), Buffer.from(JSON.stringify(body)));
  }

  /** The versions of the last index written, or null. */
  readIndex(): VersionRow[] | null {
    const file = path.join(this.dir, 'index.json');
    if (!existsSync(file)) return null;
    try {
      const body = JSON.parse(readFileSync(file, 'utf8')) as IndexFile;
      if (body.format !== SERIAL_FORMAT) return null;
      return body.versions.map((v) => ({ ...v, importedAt: new Date(v.importedAt) }));
    } catch {
      return null;
    }
  }
}
