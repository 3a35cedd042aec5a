/**
 * Reads the encoder's curated vocabulary files that ship beside this module (`synonyms.tsv`,
 * `procedures.tsv`). The only I/O of the encoder; the engine itself takes the parsed values.
 * Note for the build: `scripts/copy-assets.mjs` must copy these `.tsv` files to `dist/` as it does `.sql`.
 */
import fs from 'node:fs';
import { parseProcedureRules, parseSynonyms, type EncoderVocabulary } from './data.js';

export function loadEncoderVocabulary(dir: URL = new URL('.', import.meta.url)): EncoderVocabulary {
  const read = (name: string): string => fs.readFileSync(new URL(name, dir), 'utf8');
  return {
    synonyms: parseSynonyms(read('synonyms.tsv'), 'synonyms.tsv'),
    procedures: parseProcedureRules(read('procedures.tsv'), 'procedures.tsv'),
  };
}
