import { describe, expect, it } from 'vitest';
import { SourceError } from '../model.js';
import { definitionsXml, fixture, gunzipText, havePcsData } from './__fixtures__/sources.js';
import { parsePcsDefinitions } from './definitions.js';

const FILE = 'definitions-mini.xml';

describe('parsePcsDefinitions on a synthetic file', () => {
  it('reads section → axis → terms (titles, definition, explanation, includes) and the device aggregation', async () => {
    const r = await parsePcsDefinitions(fixture(FILE), FILE);
    expect(r.version).toBe('2099');
    expect(r.title).toBe('2099 ICD-10-PCS Definitions');
    expect(r.sections.map((s) => [s.code, s.title, s.axes.map((a) => `${a.pos} ${a.title}`)])).toEqual([
      ['0', 'Medical and Surgical', ['3 Operation', '4 Body Part']],
      ['X', 'New Technology', ['6 Device / Substance / Technology']],
    ]);
    expect(r.sections[0]!.axes[0]!.terms).toEqual([
      {
        titles: ['Resection'],
        definition: 'Cutting out or off, without replacement, all of a body part',
        explanation: 'Resection of the whole organ',
        includes: ['Total nephrectomy, total lobectomy of lung'],
      },
      { titles: ['Excision'], definition: 'Cutting out or off, without replacement, a portion of a body part', includes: [] },
    ]);
    expect(r.sections[0]!.axes[1]!.terms).toEqual([{ titles: ['Stomach', 'Stomach, Pylorus'], includes: ['Fundus of stomach', 'Cardia of stomach'] }]);
    expect(r.deviceAggregation).toEqual([
      {
        device: 'Autologous Arterial Tissue',
        operation: 'All applicable',
        bodySystems: ['Heart and Great Vessels', 'Lower Arteries'],
        parent: { code: '7', label: 'Autologous Tissue Substitute' },
      },
    ]);
    expect(await parsePcsDefinitions(fixture(FILE, undefined, 1), FILE)).toEqual(r);
  });
});

describe('parsePcsDefinitions refuses bad input with the file and line', () => {
  it.each([
    ['another root', (x: string) => x.replace(/ICD10PCS\.definitions/g, 'ICD10PCS.tabular'), 3, /expected root element <ICD10PCS.definitions>/],
    ['a DOCTYPE', (x: string) => x.replace('<!--', '<!DOCTYPE d [<!ENTITY e "x">]>\n<!--'), 2, /DOCTYPE/],
    ['malformed XML', (x: string) => x.replace('</explanation>', '</explantion>'), 13, /column/],
    ['an unknown element', (x: string) => x.replace('<title>Excision</title>', '<title>Excision</title><code>B</code>'), 17, /unexpected <code> in <terms>/],
    ['a term without title', (x: string) => x.replace('<title>Excision</title>', ''), 19, /<terms> entry without <title>/],
    ['a title after the definition', (x: string) => x.replace('<includes>Cardia', '<title>Late</title><includes>Cardia'), 27, /<title> after the definition/],
    ['two definitions', (x: string) => x.replace('</definition>', '</definition><definition>again</definition>'), 12, /a second <definition>/],
    ['a bad section code', (x: string) => x.replace('<section code="X">', '<section code="XX">'), 32, /"XX" is not one ICD-10-PCS character/],
    ['a section twice', (x: string) => x.replace('<section code="X">', '<section code="0">'), 32, /section 0 appears twice/],
    ['an axis position out of range', (x: string) => x.replace('<axis pos="6">', '<axis pos="8">'), 34, /pos="8"> is not a position 1-7/],
    ['an incomplete aggregate', (x: string) => x.replace(/<parent value="7">[^<]*<\/parent>/, ''), 49, /needs <device>, <operation>, <bodySys> and <parent>/],
    ['a truncated file', (x: string) => x.slice(0, x.indexOf('<deviceAggregation>')), 42, /unclosed|not closed|end/i],
  ])('%s', async (_name, edit, line, message) => {
    const error: unknown = await parsePcsDefinitions(fixture(FILE, edit), FILE).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toMatch(message);
    expect((error as SourceError).file).toBe(FILE);
    expect((error as SourceError).line).toBe(line);
  });
});

describe.skipIf(!havePcsData)('parsePcsDefinitions on the real CMS files', () => {
  it.each([
    [2025, 930, 1066, 1912],
    [2026, 954, 1090, 1966],
  ])('FY%i: 16 sections, %i terms with %i titles and %i includes, 60 device aggregates', async (year, terms, titles, includes) => {
    const started = performance.now();
    const r = await parsePcsDefinitions(gunzipText(definitionsXml(year)), `icd10pcs_definitions_${year}.xml`);
    const ms = performance.now() - started;
    const all = r.sections.flatMap((s) => s.axes.flatMap((a) => a.terms));
    expect(r.version).toBe(String(year));
    expect(r.sections.map((s) => s.code).join('')).toBe('0123456789BCFGHX');
    expect(r.sections.reduce((n, s) => n + s.axes.length, 0)).toBe(31);
    expect(all).toHaveLength(terms);
    expect(all.reduce((n, t) => n + t.titles.length, 0)).toBe(titles);
    expect(all.filter((t) => t.definition !== undefined)).toHaveLength(323);
    expect(all.filter((t) => t.explanation !== undefined)).toHaveLength(60);
    expect(all.reduce((n, t) => n + t.includes.length, 0)).toBe(includes);
    expect(r.deviceAggregation).toHaveLength(60);
    expect(r.deviceAggregation[0]).toEqual({
      device: 'Autologous Arterial Tissue',
      operation: 'All applicable',
      bodySystems: ['Heart and Great Vessels', 'Lower Arteries', 'Lower Veins', 'Upper Arteries', 'Upper Veins'],
      parent: { code: '7', label: 'Autologous Tissue Substitute' },
    });
    // As written in the file (section 0, axis 3).
    expect(r.sections[0]!.axes.find((a) => a.pos === 3)!.terms[1]).toEqual({
      titles: ['Bypass'],
      definition: 'Altering the route of passage of the contents of a tubular body part',
      explanation:
        'Rerouting contents of a body part to a downstream area of the normal route, to a similar route and body part, or to an abnormal route and dissimilar body part. Includes one or more anastomoses, with or without the use of a device',
      includes: ['Coronary artery bypass, colostomy formation'],
    });
    console.info(`parsePcsDefinitions FY${year}: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
  });
});
