import { describe, expect, it } from 'vitest';
import { SourceError } from '../model.js';
import { parseProcedureRules, parseSynonyms, PROCEDURES_HEADER, SYNONYMS_HEADER } from './data.js';
import { loadEncoderVocabulary } from './load.js';

describe('encoder vocabulary data', () => {
  it('parses concept → terms entries with their source and systems', () => {
    const text = `# comment\n${SYNONYMS_HEADER}\nHeart attack\tmyocardial infarction | infarct\tNLM/MedlinePlus lay term\tcm\n`;
    expect(parseSynonyms(text, 's.tsv')).toEqual([{ term: 'heart attack', expansions: ['myocardial infarction', 'infarct'], source: 'NLM/MedlinePlus lay term', systems: ['icd10cm'] }]);
  });

  it('names the file and line of a bad entry', () => {
    expect(() => parseSynonyms('term\texp\n', 's.tsv')).toThrow(SourceError);
    expect(() => parseSynonyms(`${SYNONYMS_HEADER}\nmi\tmyocardial infarction\tabbreviation\tdental\n`, 's.tsv')).toThrow(/s\.tsv:2: systems must be one of/);
    expect(() => parseSynonyms(`${SYNONYMS_HEADER}\nmi\t\tabbreviation\tcm\n`, 's.tsv')).toThrow(/s\.tsv:2/);
    expect(() => parseProcedureRules(`${PROCEDURES_HEADER}\nprefix\tectomy\tresection\t-\tsrc\n`, 'p.tsv')).toThrow(/p\.tsv:2: kind must be suffix, root or approach/);
  });

  it('parses procedure rules with optional hints', () => {
    const rules = parseProcedureRules(`${PROCEDURES_HEADER}\nsuffix\tscopy\tinspection\tendoscopic\tPCS\nroot\ttonsill\ttonsils\t-\tterminology\n`, 'p.tsv');
    expect(rules).toEqual([
      { kind: 'suffix', form: 'scopy', expansions: ['inspection'], hints: ['endoscopic'], source: 'PCS' },
      { kind: 'root', form: 'tonsill', expansions: ['tonsils'], hints: [], source: 'terminology' },
    ]);
  });

  it('ships vocabulary files that parse, with a source on every entry', () => {
    const v = loadEncoderVocabulary();
    expect(v.synonyms.length).toBeGreaterThan(400);
    expect(v.procedures.some((r) => r.kind === 'suffix' && r.form === 'ectomy')).toBe(true);
    expect(v.synonyms.every((s) => s.source !== '')).toBe(true);
    // Concepts map to terms, never to codes.
    expect(v.synonyms.flatMap((s) => s.expansions).filter((e) => /\b[A-Z]\d\d(\.\w+)?\b/i.test(e) && /\d/.test(e) && !/\b(19|2|1)\b/.test(e))).toEqual([]);
  });
});
