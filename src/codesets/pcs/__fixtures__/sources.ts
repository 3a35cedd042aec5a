/**
 * Test-only paths and readers for the ICD-10-PCS reference files in /work/shared (read-only, never
 * copied into the repo). The stream helpers are the ICD-10-CM XML tests' own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipText, textChunks, zipEntryText } from '../../xml/__fixtures__/sources.js';

export { gunzipText, textChunks };

export const PCS_DIR = '/work/shared/refdata/icd10pcs';

export const tablesXml = (year: number): string => `${PCS_DIR}/xml/fy${year}/icd10pcs_tables_${year}.xml.gz`;
export const definitionsXml = (year: number): string => `${PCS_DIR}/xml/fy${year}/icd10pcs_definitions_${year}.xml.gz`;
export const orderZip = (year: number): string => `${PCS_DIR}/fy${year}/${year}-icd-10-pcs-order-file-long-and-abbreviated-titles.zip`;

/** True when the shared files of both years are available (they are not part of the repository). */
export const havePcsData = [2025, 2026].every((y) => existsSync(tablesXml(y)) && existsSync(definitionsXml(y)) && existsSync(orderZip(y)));

/** The order file of a year as one string. */
export async function orderText(year: number): Promise<string> {
  let text = '';
  for await (const chunk of await zipEntryText(orderZip(year), `icd10pcs_order_${year}.txt`)) text += chunk as string;
  return text;
}

/** A synthetic fixture of this folder as text. */
export const fixtureText = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');

/** A synthetic fixture (or an edited copy of one) fed in small chunks. */
export const fixture = (name: string, edit: (xml: string) => string = (x) => x, size = 7): AsyncGenerator<string> =>
  textChunks(edit(fixtureText(name)), size);
