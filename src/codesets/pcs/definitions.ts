/**
 * The CMS ICD-10-PCS Definitions XML (`icd10pcs_definitions_YYYY.xml`): per section and axis, the terms
 * that the tables use as value labels, with their definition, explanation and "includes" synonyms; then
 * the device aggregation table (a specific device → the general device value it is coded with). Terms are
 * keyed by title, not by character: one `terms` entry may carry several titles ("Kidney, Left",
 * "Kidney, Right"). Streaming and strict like the tables parser.
 */
import { cleanText, readXml, type XmlContext, type XmlHandler } from '../xml/sax-stream.js';
import { countAttribute, PCS_CHAR } from './tables.js';

export interface PcsTerm {
  /** The value labels this entry defines (at least one). */
  titles: string[];
  definition?: string;
  explanation?: string;
  includes: string[];
}

export interface PcsDefinitionAxis {
  pos: number;
  title: string;
  terms: PcsTerm[];
}

export interface PcsDefinitionSection {
  /** The section character (axis 1), e.g. `0`. */
  code: string;
  title: string;
  axes: PcsDefinitionAxis[];
}

/** One line of the device aggregation table. */
export interface PcsDeviceAggregate {
  device: string;
  operation: string;
  bodySystems: string[];
  /** The general device value (character and label) the specific device is coded with. */
  parent: { code: string; label: string };
}

export interface PcsDefinitions {
  version: string;
  title: string;
  sections: PcsDefinitionSection[];
  deviceAggregation: PcsDeviceAggregate[];
}

const ROOT = 'ICD10PCS.definitions';
const LEAVES = new Set(['version', 'title', 'definition', 'explanation', 'includes', 'device', 'operation', 'bodySys', 'parent']);
const CHILDREN: Readonly<Record<string, readonly string[]>> = {
  [ROOT]: ['version', 'title', 'section', 'deviceAggregation'],
  section: ['title', 'axis'],
  axis: ['title', 'terms'],
  terms: ['title', 'definition', 'explanation', 'includes'],
  deviceAggregation: ['aggregate'],
  aggregate: ['device', 'operation', 'bodySys', 'parent'],
};

interface Drafts {
  section: PcsDefinitionSection | null;
  axis: PcsDefinitionAxis | null;
  term: PcsTerm | null;
  aggregate: { device?: string; operation?: string; bodySystems: string[]; parent?: { code: string; label: string } } | null;
}

function handler(ctx: XmlContext, out: PcsDefinitions): XmlHandler {
  const stack: string[] = [];
  const d: Drafts = { section: null, axis: null, term: null, aggregate: null };
  let text = '';
  let parentCode = '';
  let version: string | null = null;
  let docTitle: string | null = null;
  let sawAggregation = false;
  const once = <T>(current: T | undefined | null, value: T, what: string): T => (current === undefined || current === null ? value : ctx.fail(`a second <${what}>`));

  const closeLeaf = (name: string, parent: string | undefined): void => {
    const value = cleanText(text);
    if (value === '') ctx.fail(`<${name}> is empty`);
    if (parent === ROOT) {
      if (name === 'version') version = once(version, value, 'version');
      else docTitle = once(docTitle, value, 'title');
    } else if (parent === 'section') d.section!.title = once(d.section!.title || null, value, 'title');
    else if (parent === 'axis') d.axis!.title = once(d.axis!.title || null, value, 'title');
    else if (parent === 'terms') {
      const t = d.term!;
      if (name === 'title') {
        if (t.definition !== undefined || t.explanation !== undefined || t.includes.length > 0) ctx.fail('<title> after the definition of a term');
        t.titles.push(value);
      } else if (name === 'definition') t.definition = once(t.definition, value, 'definition');
      else if (name === 'explanation') t.explanation = once(t.explanation, value, 'explanation');
      else t.includes.push(value);
    } else {
      const a = d.aggregate!;
      if (name === 'device') a.device = once(a.device, value, 'device');
      else if (name === 'operation') a.operation = once(a.operation, value, 'operation');
      else if (name === 'bodySys') a.bodySystems.push(value);
      else a.parent = once(a.parent, { code: parentCode, label: value }, 'parent');
    }
  };

  const closeStructure = (name: string): void => {
    if (name === 'terms') {
      if (d.term!.titles.length === 0) ctx.fail('a <terms> entry without <title>');
      d.axis!.terms.push(d.term!);
      d.term = null;
    } else if (name === 'axis') {
      if (d.axis!.title === '') ctx.fail(`axis ${d.axis!.pos} has no <title>`);
      d.section!.axes.push(d.axis!);
      d.axis = null;
    } else if (name === 'section') {
      if (d.section!.title === '') ctx.fail(`section ${d.section!.code} has no <title>`);
      out.sections.push(d.section!);
      d.section = null;
    } else if (name === 'aggregate') {
      const { device, operation, bodySystems, parent } = d.aggregate!;
      if (device === undefined || operation === undefined || parent === undefined || bodySystems.length === 0) {
        ctx.fail('an <aggregate> needs <device>, <operation>, <bodySys> and <parent>');
      }
      out.deviceAggregation.push({ device, operation, bodySystems, parent });
      d.aggregate = null;
    } else if (name === ROOT) {
      out.version = version ?? ctx.fail('no <version>');
      out.title = docTitle ?? '';
      if (out.sections.length === 0) ctx.fail('no <section>');
    }
  };

  return {
    open(name, attributes) {
      const parent = stack.at(-1);
      if (parent !== undefined && !CHILDREN[parent]?.includes(name)) ctx.fail(`unexpected <${name}> in <${parent}>`);
      if (name === 'section') {
        const code = attributes.code ?? ctx.fail('<section> has no code attribute');
        if (!PCS_CHAR.test(code)) ctx.fail(`section code "${code}" is not one ICD-10-PCS character`);
        if (out.sections.some((s) => s.code === code)) ctx.fail(`section ${code} appears twice`);
        d.section = { code, title: '', axes: [] };
      } else if (name === 'axis') {
        const pos = countAttribute(ctx, 'pos', attributes, 'axis') ?? ctx.fail('<axis> has no pos attribute');
        if (pos < 1 || pos > 7) ctx.fail(`<axis pos="${pos}"> is not a position 1-7`);
        if (d.section!.axes.some((a) => a.pos === pos)) ctx.fail(`section ${d.section!.code} has axis ${pos} twice`);
        d.axis = { pos, title: '', terms: [] };
      } else if (name === 'terms') d.term = { titles: [], includes: [] };
      else if (name === 'deviceAggregation') sawAggregation = sawAggregation ? ctx.fail('a second <deviceAggregation>') : true;
      else if (name === 'aggregate') d.aggregate = { bodySystems: [] };
      else if (name === 'parent') {
        parentCode = attributes.value ?? ctx.fail('<parent> has no value attribute');
        if (!PCS_CHAR.test(parentCode)) ctx.fail(`parent value "${parentCode}" is not one ICD-10-PCS character`);
      }
      text = '';
      stack.push(name);
    },
    text(t) {
      const top = stack.at(-1);
      if (top !== undefined && LEAVES.has(top)) text += t;
      else if (t.trim() !== '') ctx.fail(`unexpected text "${cleanText(t).slice(0, 40)}" in <${top ?? 'document'}>`);
    },
    close(name) {
      stack.pop();
      if (LEAVES.has(name)) closeLeaf(name, stack.at(-1));
      else closeStructure(name);
    },
  };
}

/** Parses an ICD-10-PCS Definitions XML document; rejects with a SourceError (file, line) on any problem. */
export async function parsePcsDefinitions(chunks: AsyncIterable<string>, fileName: string): Promise<PcsDefinitions> {
  const out: PcsDefinitions = { version: '', title: '', sections: [], deviceAggregation: [] };
  await readXml(chunks, fileName, ROOT, (ctx) => handler(ctx, out));
  return out;
}
