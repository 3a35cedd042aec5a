/**
 * Test-only helpers that open the real CDC/CMS files in /work/shared (read-only, never copied into the
 * repo) as decoded text streams, the way the import service will feed the parsers.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';

/** Directory of the shared ICD-10-CM XML reference files; tests skip when it is absent. */
export const XML_DIR = '/work/shared/refdata/icd10cm/xml';
export const TABULAR_2021 = `${XML_DIR}/fy2021/icd10cm_tabular_2021.xml.gz`;
export const ZIP_2017 = `${XML_DIR}/fy2017/ICD10CM_FY2017_Full_XML.zip`;

/** True when the shared files are available (they are not part of the repository). */
export const haveRefData = existsSync(TABULAR_2021) && existsSync(ZIP_2017);

/** A gzip file as UTF-8 text chunks; setEncoding keeps multi-byte characters whole across chunks. */
export function gunzipText(path: string): Readable {
  return createReadStream(path).pipe(createGunzip()).setEncoding('utf8');
}

/** One zip member as UTF-8 text chunks. */
export async function zipEntryText(zipPath: string, member: string): Promise<Readable> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const stream = await new Promise<Readable>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => reject(new Error(`${member} not found in ${zipPath}`)));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== member) return zip.readEntry();
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)));
    });
    zip.readEntry();
  });
  // yauzl closes the file descriptor once the open read stream has ended.
  zip.close();
  return stream.setEncoding('utf8');
}

/** A string as a chunked async iterable (small chunks exercise values split across writes). */
export async function* textChunks(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) {
    await Promise.resolve(); // hand back to the event loop like a real stream between chunks
    yield text.slice(i, i + size);
  }
}

/** A synthetic fixture of this folder, fed in small chunks. */
export function fixture(name: string, size = 7): AsyncGenerator<string> {
  return textChunks(readFileSync(new URL(name, import.meta.url), 'utf8'), size);
}
