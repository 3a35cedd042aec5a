import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SourceError } from '../model.js';

/** Which schema an XML file of CDC's is checked against, by file name. */
export function schemaFor(xmlName: string): string | null {
  if (/^icd10cm_tabular_\d{4}\.xml$/i.test(xmlName)) return 'icd10cm_tabular.xsd';
  if (/^icd10cm_(e?index)_\d{4}\.xml$/i.test(xmlName)) return 'icd10cm_index.xsd';
  if (/^icd10cm_(drug|neoplasm)_\d{4}\.xml$/i.test(xmlName)) return 'icd10cm_drug_neoplasm.xsd';
  return null;
}

let xmllint: boolean | null = null;
function haveXmllint(): boolean {
  xmllint ??= spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
  return xmllint;
}

/**
 * Validates an XML file against its XSD with Debian's xmllint (network access off, no entity
 * substitution). Returns how it was checked, for the release's record of its sources; a file that does
 * not validate is a SourceError naming the line xmllint reports.
 */
export function validateXml(xml: Buffer, xmlDisplay: string, xsd: Buffer | null, xsdName: string | null): string {
  if (!xsd || !xsdName) return 'unvalidated: no schema is published for it (parsed strictly)';
  if (!haveXmllint()) return 'unvalidated: xmllint is not installed (parsed strictly)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-xsd-'));
  try {
    const xmlFile = path.join(dir, 'document.xml');
    const xsdFile = path.join(dir, xsdName);
    fs.writeFileSync(xmlFile, xml);
    fs.writeFileSync(xsdFile, xsd);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdFile, xmlFile], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (r.status === 0) return `validated against ${xsdName}`;
    const first = (r.stderr || '').split('\n').find((l) => l.includes('document.xml')) ?? r.stderr.split('\n')[0] ?? 'invalid';
    const m = /document\.xml:(\d+):\s*(.*)$/.exec(first);
    throw new SourceError(xmlDisplay, m ? Number(m[1]) : null, `does not validate against ${xsdName}: ${(m?.[2] ?? first).slice(0, 300)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
