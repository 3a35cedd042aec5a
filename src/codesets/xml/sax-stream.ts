/**
 * The streaming core shared by the CDC/CMS ICD-10-CM XML parsers: feeds text chunks into saxes and turns
 * every problem (malformed XML, wrong root, DOCTYPE, truncated input, a rule a parser enforces) into a
 * SourceError carrying the file name and saxes' 1-based line. Pure: the caller owns the I/O and hands us
 * already-decoded text, so the same code reads a gunzip stream, a zip entry or an in-memory fixture.
 */
import { SaxesParser } from 'saxes';
import { SourceError } from '../model.js';

/** What a parser may ask of the running reader while it handles an event. */
export interface XmlContext {
  /** 1-based line of the parser's current position (the end of the tag or text just reported). */
  line(): number;
  /** Throws a SourceError at the current line; typed `never` so handlers can use it in expressions. */
  fail(message: string): never;
}

/** Element-level callbacks; `open` gets the attributes as written (no namespace processing). */
export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  text(text: string): void;
  close(name: string): void;
}

/**
 * Parses a whole XML document from `chunks`, calling the handler made by `makeHandler` for each element
 * and text node. Rejects with a SourceError when the root element is not `rootName`, when the document has
 * a DOCTYPE, when saxes reports an error or when the input ends before the root element is closed.
 */
export async function readXml(
  chunks: AsyncIterable<string>,
  fileName: string,
  rootName: string,
  makeHandler: (ctx: XmlContext) => XmlHandler,
): Promise<void> {
  // Namespaces off: the CDC files use none, and plain attributes keep the hot path cheap.
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const ctx: XmlContext = {
    line: () => parser.line,
    fail: (message) => {
      throw new SourceError(fileName, parser.line, message);
    },
  };
  const handler = makeHandler(ctx);
  let sawRoot = false;

  // saxes prefixes its messages with "line:column: "; SourceError carries the line already.
  parser.on('error', (err) => ctx.fail(err.message.replace(/^(\d+):(\d+): /, 'column $2: ')));
  // saxes never expands DTD entities (an entity it does not know is an error), but a DTD could still
  // declare defaults we would silently ignore. The CDC files have none, so any DOCTYPE is refused.
  parser.on('doctype', () => ctx.fail('DOCTYPE declarations are not accepted'));
  parser.on('opentag', (tag) => {
    if (!sawRoot) {
      if (tag.name !== rootName) ctx.fail(`expected root element <${rootName}>, found <${tag.name}>`);
      sawRoot = true;
    }
    handler.open(tag.name, tag.attributes);
  });
  parser.on('text', (text) => handler.text(text));
  parser.on('cdata', (text) => handler.text(text));
  parser.on('closetag', (tag) => handler.close(tag.name));

  for await (const chunk of chunks as AsyncIterable<unknown>) {
    // A Buffer would be stringified chunk by chunk, splitting multi-byte characters at chunk ends.
    if (typeof chunk !== 'string') ctx.fail('input chunks must be strings (decode the stream, e.g. setEncoding("utf8"))');
    parser.write(chunk);
  }
  // close() reports unclosed elements and an empty document through the error handler above.
  parser.close();
}

/** Collapses runs of white space (CRLF, tabs, indentation inside text) to one space and trims. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A tabular-list code as CDC writes it: `A00`, `A00.0`, `T36.0X1`. */
const TABULAR_CODE = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;

/** Index and table codes may end in "-" (more characters needed, see the tabular), even right after the dot. */
const INDEX_CODE = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?-?$/;

/** Validates a tabular code and returns it without the dot (`T36.0X1` → `T360X1`); fails otherwise. */
export function tabularCode(ctx: XmlContext, text: string): string {
  if (!TABULAR_CODE.test(text)) ctx.fail(`not an ICD-10-CM code: "${text}"`);
  return text.replace('.', '');
}

/** Validates an index/table code and returns it without the dot, keeping a trailing "-" (`C56.-` → `C56-`). */
export function indexCode(ctx: XmlContext, text: string): string {
  if (!INDEX_CODE.test(text)) ctx.fail(`not an ICD-10-CM index code: "${text}"`);
  return text.replace('.', '');
}
