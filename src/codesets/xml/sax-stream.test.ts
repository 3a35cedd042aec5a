import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../model.js';
import { textChunks } from './__fixtures__/sources.js';
import { parseIndexXml } from './index-terms.js';
import { parseTableXml } from './tables.js';
import { parseTabularXml } from './tabular.js';

const mini = readFileSync(new URL('./__fixtures__/tabular-mini.xml', import.meta.url), 'utf8');
const tab = (xml: string) => parseTabularXml(textChunks(xml), 'bad.xml');

/** Resolves to the SourceError the promise rejects with (fails the test if it resolves or throws another type). */
async function sourceError(p: Promise<unknown>): Promise<SourceError> {
  const err: unknown = await p.then(() => new Error('expected a SourceError, but parsing succeeded'), (e: unknown) => e);
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe('bad input gives a SourceError with the file and line', () => {
  it('a truncated file (stream ends inside open elements)', async () => {
    const cut = mini.slice(0, mini.indexOf('<name>T36.0X1</name>') + 10);
    const err = await sourceError(tab(cut));
    expect(err.file).toBe('bad.xml');
    expect(err.line).toBe(cut.split('\n').length);
    expect(err.message).toMatch(/^bad\.xml:\d+: .*unclosed tag/);
  });

  it('garbage, an empty stream and mismatched tags', async () => {
    expect((await sourceError(tab('this is not XML at all'))).line).toBe(1);
    expect((await sourceError(tab(''))).message).toMatch(/root element/);
    const err = await sourceError(tab('<ICD10CM.tabular>\n<version>\n2021</versio>\n</ICD10CM.tabular>'));
    expect(err.message).toBe('bad.xml:3: column 13: unexpected close tag.');
    expect(err.line).toBe(3);
    expect((await sourceError(tab('<ICD10CM.tabular/>\n<ICD10CM.tabular/>'))).message).toContain('only one root');
  });

  it('a wrong root element', async () => {
    const err = await sourceError(tab('<?xml version="1.0"?>\n<ICD10CM.index><version>2017</version></ICD10CM.index>'));
    expect(err.line).toBe(2);
    expect(err.message).toContain('expected root element <ICD10CM.tabular>, found <ICD10CM.index>');
    await sourceError(parseIndexXml(textChunks(mini), 'tabular-as-index.xml'));
  });

  it('a DOCTYPE, with internal, nested (billion laughs) or external entities, is refused before any expansion', async () => {
    const internal = '<?xml version="1.0"?>\n<!DOCTYPE ICD10CM.tabular [<!ENTITY e "A00">]>\n<ICD10CM.tabular><version>&e;</version></ICD10CM.tabular>';
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>\n<ICD10CM.tabular><version>&lol9;</version></ICD10CM.tabular>`;
    const external = '<!DOCTYPE ICD10CM.tabular [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<ICD10CM.tabular><version>&xxe;</version></ICD10CM.tabular>';
    for (const xml of [internal, laughs, external]) {
      const err = await sourceError(tab(xml));
      expect(err.message).toContain('DOCTYPE declarations are not accepted');
    }
    expect((await sourceError(tab(internal))).line).toBe(2);
  });

  it('an undeclared entity without a DOCTYPE is an error, not text', async () => {
    const err = await sourceError(tab('<ICD10CM.tabular>\n<version>&e;</version></ICD10CM.tabular>'));
    expect(err.line).toBe(2);
    expect(err.message).toContain('undefined entity');
  });

  it('undecoded Buffer chunks (they would split multi-byte characters)', async () => {
    async function* bytes() {
      await Promise.resolve();
      yield Buffer.from('<ICD10CM.tabular/>') as unknown as string;
    }
    expect((await sourceError(parseTabularXml(bytes(), 'b.xml'))).message).toContain('chunks must be strings');
  });
});

describe('tabular rules the parser enforces', () => {
  const doc = (diags: string) => `<ICD10CM.tabular>\n<chapter><name>1</name><desc>X (A00-A09)</desc>\n<section id="A00-A09"><desc>Y</desc>\n${diags}\n</section></chapter></ICD10CM.tabular>`;
  const diag = (name: string, inner = '') => `<diag><name>${name}</name><desc>d ${name}</desc>${inner}</diag>`;
  const rule = '<sevenChrDef><extension char="A">initial encounter</extension></sevenChrDef>';

  it('rejects codes that are not ICD-10-CM codes, and duplicates', async () => {
    expect((await sourceError(tab(doc(diag('A0'))))).message).toContain('not an ICD-10-CM code: "A0"');
    expect((await sourceError(tab(doc(`${diag('A00')}\n${diag('A00')}`)))).message).toContain('duplicate code A00');
    expect((await sourceError(tab(doc('<diag><desc>no name</desc></diag>')))).line).toBe(4);
    expect((await sourceError(tab(doc('<diag><name>A00</name></diag>')))).message).toContain('A00 has no <desc>');
  });

  it('rejects a 7th-character rule it cannot apply in one pass', async () => {
    expect((await sourceError(tab(doc(diag('T36', `${diag('T36.0')}${rule}`))))).message).toContain('<sevenChrDef> after child <diag>');
    expect((await sourceError(tab(doc(diag('T36', `${rule}${diag('T36.0X11')}`))))).message).toMatch(/not an ICD-10-CM code|already has 7/);
    expect((await sourceError(tab(doc(diag('T36', '<sevenChrDef><extension char="AB">x</extension></sevenChrDef>'))))).message).toContain('7th character must be one letter or digit');
  });

  it('rejects addenda files, whose <new>/<old> text would be merged', async () => {
    expect((await sourceError(tab('<ICD10CM.tabular isAddenda="true"></ICD10CM.tabular>'))).message).toContain('addenda');
    expect((await sourceError(parseIndexXml(textChunks('<ICD10CM.index isAddenda="true"/>'), 'a.xml'))).message).toContain('addenda');
  });
});

describe('index and table structure checks', () => {
  const index = (terms: string) => `<ICD10CM.index><version>1</version><letter><title>A</title>\n<mainTerm><title>A</title>\n${terms}\n</mainTerm></letter></ICD10CM.index>`;

  it('a term level that does not match its nesting', async () => {
    const err = await sourceError(parseIndexXml(textChunks(index('<term level="2"><title>b</title><code>A00</code></term>')), 'i.xml'));
    expect(err.line).toBe(3);
    expect(err.message).toContain('<term level="2"> at nesting depth 1');
  });

  it('a table read as an index, and an index read as a table', async () => {
    const table = '<ICD10CM.index><indexHeading><head col="1">Neoplasm</head></indexHeading><letter><title>N</title><mainTerm><title>N</title><cell col="2">C80.1</cell></mainTerm></letter></ICD10CM.index>';
    expect((await sourceError(parseIndexXml(textChunks(table), 't.xml'))).message).toContain('neoplasm/drug table');
    expect((await sourceError(parseTableXml(textChunks(index('<code>A00</code>')), 'i.xml'))).message).toContain('alphabetic index');
    const noHeading = '<ICD10CM.index><letter><title>N</title><mainTerm><title>N</title><cell col="2">C80.1</cell></mainTerm></letter></ICD10CM.index>';
    expect((await sourceError(parseTableXml(textChunks(noHeading), 't.xml'))).message).toContain('column 2, which has no heading');
  });
});
