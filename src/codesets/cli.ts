import type { Command } from 'commander';
import { progressBar } from '../platform/cli/progress.js';
import type { Actor } from '../platform/audit/event.js';
import type { CodesetService } from './service.js';
import { AppError } from '../platform/errors/app-error.js';
import { downloadSources, readSourceList } from './download.js';
import type { ImportReport } from './import.js';

export interface CodesetCli {
  /** Runs `fn` with the code-set service (and the import use case) on an opened platform. */
  run<T>(fn: (deps: { codes: CodesetService; importCodesets: (paths: string[], actor: Actor, progress: (step: string, done: number, total: number) => void) => Promise<ImportReport>; actor: Actor; downloadDir: string; sourcesFile: string }) => Promise<T>): Promise<T>;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function printNotice(notice: string | null | undefined): void {
  if (notice) console.error(`note: ${notice}`);
}

/** `chartroom import codesets` and `chartroom codes …`. */
export function registerCodesetCommands(program: Command, cli: CodesetCli): void {
  const importCmd = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import reference data');
  importCmd
    .command('codesets [paths...]')
    .description('import ICD-10-CM, ICD-10-PCS and HCPCS releases from the CMS/CDC files (folders are searched recursively)')
    .option('--download', 'first fetch the releases listed in config/codeset-sources.json (or CHARTROOM_CODESET_SOURCES), checking size and SHA-256')
    .action((given: string[], o: { download?: boolean }) =>
      cli.run(async ({ codes: svc, importCodesets, actor, downloadDir, sourcesFile }) => {
        const paths = [...given];
        if (o.download) {
          const dl = progressBar('downloading');
          const files = await downloadSources(readSourceList(sourcesFile), downloadDir, (name, done, total) => {
            dl.update(done, total);
            if (!process.stderr.isTTY && name !== 'done') console.error(`downloading ${name}…`);
          });
          dl.stop();
          console.log(`${files.length} release files in ${downloadDir}`);
          paths.push(...files);
        }
        if (paths.length === 0) throw new AppError('CODESET_IMPORT_FAILED', 'Name the folders or zips to import, or use --download.');
        const bar = progressBar('importing');
        const report = await importCodesets(paths, actor, (step, done, total) => {
          bar.update(done, Math.max(total, 1));
          if (!process.stderr.isTTY) console.error(`${step}…`);
        });
        bar.stop();
        for (const r of report.releases) {
          console.log(`${pad(r.label, 40)} effective ${r.effectiveFrom}  ${r.status === 'imported' ? `${r.codes} codes (${r.billable} billable) imported` : r.tableRows ? 'already loaded' : 'already loaded (no change)'}${r.tableRows ? `; ${r.tableRows} drug, neoplasm and external-cause rows ${r.status === 'imported' ? 'with it' : 'added'}` : ''}`);
        }
        for (const s of report.skipped) console.log(`skipped ${s.file}: ${s.why}`);
        // Build the encoder indexes of the releases in use now, so the first search is fast.
        await svc.search('a', undefined, undefined, 1).catch(() => undefined);
      }),
    );

  const codes = program.command('codes').description('search and check codes');
  codes.command('releases').description('list the loaded code-set releases').action(() =>
    cli.run(async ({ codes: svc }) => {
      for (const r of await svc.releases()) {
        console.log(`${pad(r.system, 9)} ${pad(r.label, 40)} ${r.effectiveFrom} to ${r.effectiveTo}  ${r.codes} codes, ${r.billable} billable${r.hasNotes ? ', notes' : ''}`);
      }
    }),
  );
  codes
    .command('validate <code>')
    .description('is a code valid on a date?')
    .requiredOption('--system <system>', 'icd10cm, icd10pcs or hcpcs')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--json', 'print JSON')
    .action((code: string, o: { system: string; date?: string; json?: boolean }) =>
      cli.run(async ({ codes: svc }) => {
        const r = await svc.validate(code, o.system, o.date);
        if (o.json) console.log(JSON.stringify({ code: r.code, system: r.system, date: r.date, valid: r.valid, status: r.status, message: r.message, version: r.version, ...(r.children ? { children: r.children } : {}), ...(r.successors ? { successors: r.successors } : {}) }, null, 2));
        else {
          printNotice(r.version.notice);
          console.log(`${r.status}: ${r.message}`);
          for (const c of r.children ?? []) console.log(`  ${pad(c.code, 9)} ${c.title}`);
        }
        if (!r.valid) process.exitCode = 1;
      }),
    );
  codes
    .command('search <text>')
    .description('search codes by code, words, abbreviations')
    .option('--system <system>', 'icd10cm, icd10pcs or hcpcs (default: all)')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON: [{code, title, billable, system, score}] (with --excludes, each ICD-10-CM hit also has excludes)')
    .option('--excludes', "each ICD-10-CM hit's Excludes1/Excludes2 notes (its own and its headers', borrowed from an XML year where needed)")
    .action((text: string, o: { system?: string; date?: string; limit: string; json?: boolean; excludes?: boolean }) =>
      cli.run(async ({ codes: svc }) => {
        const r = await svc.search(text, o.system, o.date, Number(o.limit) || 20, { excludes: o.excludes === true });
        if (o.json) console.log(JSON.stringify(r.hits.map(({ code, title, billable, system, score, excludes }) => ({ code, title, billable, system, score, ...(excludes !== undefined ? { excludes } : {}) })), null, 2));
        else {
          for (const v of r.versions) printNotice(v.notice);
          for (const h of r.hits) {
            console.log(`${pad(h.code, 9)} ${h.billable ? ' ' : 'H'} ${h.title}`);
            for (const n of h.excludes?.notes ?? []) console.log(`${' '.repeat(12)}${n.kind === 'excludes1' ? 'Excludes1' : 'Excludes2'}: ${n.text}${n.at !== h.code ? ` (at ${n.at})` : ''}`);
          }
          if (r.hits.length === 0) console.log('no codes found');
        }
      }),
    );
  codes
    .command('detail <code>')
    .description('a code with its hierarchy, notes and index paths')
    .requiredOption('--system <system>', 'icd10cm, icd10pcs or hcpcs')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--json', 'print JSON')
    .action((code: string, o: { system: string; date?: string; json?: boolean }) =>
      cli.run(async ({ codes: svc }) => {
        const d = await svc.detail(code, o.system, o.date);
        if (o.json) return console.log(JSON.stringify(d, null, 2));
        printNotice(d.version.notice);
        if (d.chapter) console.log(`chapter ${d.chapter.num} ${d.chapter.title} (${d.chapter.range})`);
        for (const b of d.blocks) console.log(`block ${b.id} ${b.title}`);
        if (d.outlineFrom && d.outlineFrom !== d.version.label) console.log(`  (chapter and block: ${d.outlineFrom})`);
        for (const a of d.ancestors) console.log(`${pad(a.code, 9)} ${a.title}`);
        console.log(`${pad(d.code, 9)} ${d.title}${d.billable ? '' : '  (header, not billable)'}${d.poaExempt ? '  [POA exempt]' : ''}`);
        if (d.notesFrom) console.log(`notes (${d.notesFrom}):`);
        for (const n of d.notes) console.log(`  ${pad(n.kind, 18)} ${n.text}${n.code !== d.code ? ` (at ${n.code})` : ''}`);
        if (d.indexFrom) console.log(`index paths (${d.indexFrom}):`);
        for (const p of d.indexPaths.slice(0, 20)) console.log(`  ${p.join(' › ')}`);
        if (d.tablesFrom) console.log(`drug, neoplasm and external-cause tables (${d.tablesFrom}):`);
        for (const r of d.tableRows.slice(0, 20)) console.log(`  ${pad(r.table, 28)} ${r.path.join(' › ')}${r.code !== d.code ? ` → ${r.code}` : ''}`);
      }),
    );
  codes
    .command('build [prefix]')
    .description('the ICD-10-PCS builder: the valid values of the next character after a prefix (e.g. 0DT)')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--json', 'print JSON')
    .action((prefix: string | undefined, o: { date?: string; json?: boolean }) =>
      cli.run(async ({ codes: svc }) => {
        const r = await svc.pcsNext(prefix ?? '', o.date);
        if (o.json) return console.log(JSON.stringify(r, null, 2));
        printNotice(r.version.notice);
        if (r.code) console.log(`${r.code.code}: ${r.code.valid ? `valid — ${r.code.title ?? ''}` : 'not a valid code'}`);
        if (r.step) {
          console.log(`character ${r.step.position}, ${r.step.axisTitle}:`);
          for (const opt of r.step.options) console.log(`  ${opt.char}  ${opt.label}${opt.definition ? ` — ${opt.definition}` : ''}`);
        } else if (!r.code) console.log(`no valid ICD-10-PCS code starts with ${r.prefix}`);
      }),
    );
  codes
    .command('diff <from> <to>')
    .description('codes added, deleted, retitled and changed between billable and header between two versions (fiscal year or effective date)')
    .requiredOption('--system <system>', 'icd10cm or icd10pcs')
    .option('--json', 'print JSON')
    .action((from: string, to: string, o: { system: string; json?: boolean }) =>
      cli.run(async ({ codes: svc }) => {
        const d = await svc.diff(o.system, from, to);
        if (o.json) return console.log(JSON.stringify(d, null, 2));
        console.log(`${d.from} → ${d.to}`);
        console.log(`  added ${d.added.length}, deleted ${d.deleted.length}, titles revised ${d.revised.length}, billable→header ${d.billableToHeader.length}, header→billable ${d.headerToBillable.length}`);
        if (d.reconciliation) {
          const { addenda, computed, matches } = d.reconciliation;
          console.log(`  CMS order addenda: ${addenda.added} adds, ${addenda.deleted} deletes; computed ${computed.added} adds, ${computed.deleted} deletes — ${matches ? 'reconciled' : 'DIFFERENT'}`);
        }
        for (const c of d.added.slice(0, 20)) console.log(`  + ${pad(c.code, 9)} ${c.title}`);
        for (const c of d.deleted.slice(0, 20)) console.log(`  - ${pad(c.code, 9)} ${c.title}`);
      }),
    );
}
