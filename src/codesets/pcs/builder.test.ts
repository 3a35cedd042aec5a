import { describe, expect, it } from 'vitest';
import { parseOrderFile } from '../releases/order-file.js';
import { definitionsXml, fixture, gunzipText, havePcsData, orderText, tablesXml } from './__fixtures__/sources.js';
import { pcsBuilder, type PcsBuilder, type PcsStep } from './builder.js';
import { parsePcsDefinitions } from './definitions.js';
import { parsePcsTables } from './tables.js';

/** "char label" per option: compact and readable in a failure diff. */
const show = (step: PcsStep | null): [number, string, string[]] | null => (step ? [step.position, step.axisTitle, step.options.map((o) => `${o.char} ${o.label}`)] : null);

describe('pcsBuilder on the synthetic tables', async () => {
  const tables = await parsePcsTables(fixture('tables-mini.xml'), 'tables-mini.xml');
  const definitions = await parsePcsDefinitions(fixture('definitions-mini.xml'), 'definitions-mini.xml');
  const b = pcsBuilder(tables, definitions);

  it('offers at each step only the values that lead to a valid code', () => {
    expect(show(b.next(''))).toEqual([1, 'Section', ['0 Medical and Surgical', 'X New Technology']]);
    expect(show(b.next('0'))).toEqual([2, 'Body System', ['D Gastrointestinal System']]);
    expect(show(b.next('0D'))).toEqual([3, 'Operation', ['B Excision', 'T Resection']]);
    expect(show(b.next('0DT'))).toEqual([4, 'Body Part', ['6 Stomach', '8 Small Intestine', 'J Appendix']]);
    expect(show(b.next('0DT6'))).toEqual([5, 'Approach', ['0 Open', '4 Percutaneous Endoscopic']]);
    expect(show(b.next('0DTJ'))).toEqual([5, 'Approach', ['4 Percutaneous Endoscopic']]);
    expect(show(b.next('0DTJ4'))).toEqual([6, 'Device', ['Z No Device']]);
    expect(show(b.next('0DTJ4Z'))).toEqual([7, 'Qualifier', ['G Hand-Assisted', 'Z No Qualifier']]);
    expect(show(b.next('0DT64Z'))).toEqual([7, 'Qualifier', ['Z No Qualifier']]);
    expect(show(b.next('0DB6'))).toEqual([5, 'Approach', ['0 Open', '3 Percutaneous']]);
  });

  it('returns null after a complete code or a prefix no valid code starts with', () => {
    for (const prefix of ['0DTJ4ZG', '0DTJ0', '0DT6ZZ', '0DX', '0A', '1', 'Q', '0dt', '0DTJ4ZGZ']) expect(b.next(prefix)).toBeNull();
  });

  it('attaches definitions: the operation from the table, the rest from the Definitions XML', () => {
    expect(b.next('0D')!.options[1]).toEqual({
      char: 'T',
      label: 'Resection',
      definition: 'Cutting out or off, without replacement, all of a body part',
      explanation: 'Resection of the whole organ',
      includes: ['Total nephrectomy, total lobectomy of lung'],
    });
    expect(b.next('0DT')!.options[0]).toEqual({ char: '6', label: 'Stomach', includes: ['Fundus of stomach', 'Cardia of stomach'] });
    expect(pcsBuilder(tables).next('0DT')!.options[0]).toEqual({ char: '6', label: 'Stomach' });
  });

  it('joins the labels of a character that means different things in different rows, until the rows part', () => {
    expect(b.next('XW033')!.options).toEqual([{ char: 'S', label: 'COVID-19 Vaccine Dose 1 / Epcoritamab Monoclonal Antibody', labels: ['COVID-19 Vaccine Dose 1', 'Epcoritamab Monoclonal Antibody'] }]);
    expect(show(b.next('XW033S'))).toEqual([7, 'Qualifier', ['2 New Technology Group 2', '9 New Technology Group 9']]);
    expect(b.describe('XW033S9')!.map((v) => `${v.position} ${v.char} ${v.label}`)).toEqual([
      '1 X New Technology', '2 W Anatomical Regions', '3 0 Introduction', '4 3 Peripheral Vein', '5 3 Percutaneous', '6 S Epcoritamab Monoclonal Antibody', '7 9 New Technology Group 9',
    ]);
    expect(b.describe('XW033S6')).toBeNull();
  });

  it('validates and expands codes', () => {
    expect(b.isValid('0DTJ4ZG')).toBe(true);
    expect(b.isValid('0DTJ0ZG')).toBe(false);
    expect(b.isValid('0DT')).toBe(false);
    expect(b.isValid('0DTJ4ZGZ')).toBe(false);
    expect([...b.expand()].sort()).toEqual(['0DB60ZX', '0DB63ZX', '0DT60ZZ', '0DT64ZZ', '0DT80ZZ', '0DT84ZZ', '0DTJ4ZG', '0DTJ4ZZ', 'XW033S2', 'XW033S9']);
  });
});

/** Every prefix (0–6 characters) of the codes, with the characters that may follow it. */
function followers(codes: Iterable<string>): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const code of codes) {
    for (let n = 0; n < 7; n++) {
      const prefix = code.slice(0, n);
      let set = map.get(prefix);
      if (!set) map.set(prefix, (set = new Set()));
      set.add(code[n]!);
    }
  }
  return map;
}

describe.skipIf(!havePcsData)('pcsBuilder on the real CMS tables', () => {
  const years = new Map<number, Promise<{ builder: PcsBuilder; valid: string[]; headers: string[]; tables: string[] }>>();
  const load = (year: number) => {
    let p = years.get(year);
    if (!p) {
      p = (async () => {
        const tables = await parsePcsTables(gunzipText(tablesXml(year)), `icd10pcs_tables_${year}.xml`);
        const definitions = await parsePcsDefinitions(gunzipText(definitionsXml(year)), `icd10pcs_definitions_${year}.xml`);
        const order = parseOrderFile(await orderText(year), `icd10pcs_order_${year}.txt`, 'icd10pcs');
        return {
          builder: pcsBuilder(tables, definitions),
          valid: order.filter((c) => c.billable).map((c) => c.code),
          headers: order.filter((c) => !c.billable).map((c) => c.code),
          tables: tables.tables.map((t) => t.code),
        };
      })();
      years.set(year, p);
    }
    return p;
  };

  it.each([
    [2025, 78_948, 908],
    [2026, 79_115, 914],
  ])('FY%i: the tables expand to exactly the %i valid codes of the order file; tables = its %i headers', async (year, count, headers) => {
    const { builder, valid, headers: orderHeaders, tables } = await load(year);
    const started = performance.now();
    const expanded = builder.expand();
    const ms = performance.now() - started;
    const order = new Set(valid);
    expect(order.size).toBe(count);
    expect(valid.filter((c) => !expanded.has(c))).toEqual([]); // none missing
    expect([...expanded].filter((c) => !order.has(c))).toEqual([]); // none extra
    expect(expanded.size).toBe(count);
    expect(tables.sort()).toEqual([...orderHeaders].sort());
    expect(tables).toHaveLength(headers);
    console.info(`expand FY${year}: ${expanded.size} codes in ${ms.toFixed(0)} ms`);
  });

  it.each([2025, 2026])('FY%i: after every prefix of a valid code, next() offers exactly the characters that continue one', async (year) => {
    const { builder, valid } = await load(year);
    const follow = followers(valid);
    const started = performance.now();
    let wrong = 0;
    for (const [prefix, chars] of follow) {
      const step = builder.next(prefix);
      const offered = step ? step.options.map((o) => o.char).join('') : null;
      if (offered !== [...chars].sort().join('') || step!.position !== prefix.length + 1) wrong++;
    }
    const ms = performance.now() - started;
    expect(wrong).toBe(0);
    for (const code of valid) expect(builder.next(code)).toBeNull();
    console.info(`next() FY${year}: ${follow.size} prefixes in ${ms.toFixed(0)} ms (${((ms * 1000) / follow.size).toFixed(1)} µs each)`);
  });

  it('isValid agrees with the order files, across the codes one year added or deleted', async () => {
    const [y25, y26] = await Promise.all([load(2025), load(2026)]);
    expect(y25.valid.every((c) => y25.builder.isValid(c))).toBe(true);
    expect(y26.valid.every((c) => y26.builder.isValid(c))).toBe(true);
    const in26 = new Set(y26.valid);
    const in25 = new Set(y25.valid);
    const deleted = y25.valid.filter((c) => !in26.has(c));
    const added = y26.valid.filter((c) => !in25.has(c));
    expect([deleted.length, added.length]).toEqual([39, 206]);
    expect(deleted.some((c) => y26.builder.isValid(c))).toBe(false);
    expect(added.some((c) => y25.builder.isValid(c))).toBe(false);
  });

  it('FY2025 0DT Resection, Gastrointestinal System: the options of each step as the tables XML lists them', async () => {
    const b = (await load(2025)).builder;
    expect(b.next('0D')!.options.find((o) => o.char === 'T')).toEqual({
      char: 'T',
      label: 'Resection',
      definition: 'Cutting out or off, without replacement, all of a body part',
      includes: ['Total nephrectomy, total lobectomy of lung'],
    });
    expect(show(b.next('0DT'))).toEqual([4, 'Body Part', [
      '1 Esophagus, Upper', '2 Esophagus, Middle', '3 Esophagus, Lower', '4 Esophagogastric Junction', '5 Esophagus', '6 Stomach', '7 Stomach, Pylorus',
      '8 Small Intestine', '9 Duodenum', 'A Jejunum', 'B Ileum', 'C Ileocecal Valve', 'E Large Intestine', 'F Large Intestine, Right', 'G Large Intestine, Left',
      'H Cecum', 'J Appendix', 'K Ascending Colon', 'L Transverse Colon', 'M Descending Colon', 'N Sigmoid Colon', 'P Rectum', 'Q Anus', 'R Anal Sphincter', 'U Omentum',
    ]]);
    expect(b.next('0DT')!.options.find((o) => o.char === 'J')).toEqual({ char: 'J', label: 'Appendix', includes: ['Appendiceal orifice', 'Vermiform appendix'] });
    const natural = ['7 Via Natural or Artificial Opening', '8 Via Natural or Artificial Opening Endoscopic'];
    // Appendix is in the rows (0, 7, 8 | Z | Z) and (4 | Z | G, Z).
    expect(show(b.next('0DTJ'))).toEqual([5, 'Approach', ['0 Open', '4 Percutaneous Endoscopic', ...natural]]);
    expect(b.next('0DTJ')!.options[0]!.definition).toBe('Cutting through the skin or mucous membrane and any other body layers necessary to expose the site of the procedure');
    expect(show(b.next('0DTJ4'))).toEqual([6, 'Device', ['Z No Device']]);
    expect(show(b.next('0DTJ4Z'))).toEqual([7, 'Qualifier', ['G Hand-Assisted', 'Z No Qualifier']]);
    expect(show(b.next('0DTJ0Z'))).toEqual([7, 'Qualifier', ['Z No Qualifier']]);
    expect(show(b.next('0DTN'))).toEqual([5, 'Approach', ['0 Open', '4 Percutaneous Endoscopic', ...natural, 'F Via Natural or Artificial Opening With Percutaneous Endoscopic Assistance']]);
    expect(show(b.next('0DTR'))).toEqual([5, 'Approach', ['0 Open', '4 Percutaneous Endoscopic']]);
    expect(b.next('0DTR7')).toBeNull();
    expect(b.isValid('0DTJ4ZG')).toBe(true);
    expect(b.isValid('0DTR7ZZ')).toBe(false);
  });

  it('finds device and type definitions written "<device> in <body system>", "… for <operation> in …", "<type> (Assessment)"', async () => {
    const b = (await load(2025)).builder;
    expect(b.next('0NH00')!.options.find((o) => o.char === 'M')!.includes).toEqual(['Electrical bone growth stimulator (EBGS)', 'Ultrasonic osteogenic stimulator', 'Ultrasound bone healing system']);
    expect(b.next('02H40')!.options.find((o) => o.char === 'J')!.includes?.slice(0, 2)).toEqual(['ACUITY(tm) Steerable Lead', 'Attain Ability(R) lead']);
    expect(b.next('F00Z')!.options.find((o) => o.char === 'C')).toEqual({ char: 'C', label: 'Aphasia', definition: 'Measures expressive and receptive speech and language function including reading and writing' });
    expect(b.next('')!.options.map((o) => o.char).join('')).toBe('0123456789BCDFGHX');
  });

  it('FY2026 XW0 device "S" means two substances for subcutaneous tissue; the qualifier tells them apart', async () => {
    const b = (await load(2026)).builder;
    expect(b.next('XW013')!.options.find((o) => o.char === 'S')).toEqual({ char: 'S', label: 'COVID-19 Vaccine Dose 1 / Epcoritamab Monoclonal Antibody', labels: ['COVID-19 Vaccine Dose 1', 'Epcoritamab Monoclonal Antibody'] });
    expect(show(b.next('XW013S'))).toEqual([7, 'Qualifier', ['6 New Technology Group 6', '9 New Technology Group 9']]);
    expect(b.describe('XW013S6')![5]!.label).toBe('COVID-19 Vaccine Dose 1');
    expect(b.describe('XW013S9')![5]!.label).toBe('Epcoritamab Monoclonal Antibody');
  });
});
