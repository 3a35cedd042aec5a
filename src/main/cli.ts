import { Command, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditCsv } from '../platform/audit/report.js';
import { verifyAuditChain } from '../platform/audit/verify.js';
import { progressBar } from '../platform/cli/progress.js';
import { loadConfig } from '../platform/config.js';
import { migrate } from '../platform/db/migrate.js';
import { isAppError } from '../platform/errors/app-error.js';
import { startPlatform, type Platform } from '../platform/runtime.js';
import { registerCodesetCommands } from '../codesets/cli.js';
import { registerMpiDedupeCommand } from '../patients/matching/cli/command.js';
import { codesetsOf } from './codesets.js';
import { registerMceCommands } from '../mce/cli.js';
import { mceOf } from './mce.js';
import { registerGrouperCommands } from '../grouper/cli.js';
import { grouperCache, grouperOf, offlineGrouper } from './grouper.js';
import { MIGRATIONS } from './migrations.js';
import { registerFhirCommands } from '../interop/fhir/cli.js';
import { patientsOf } from './patients.js';
import { registerMpiAndDemoCommands } from './demo.js';
import { runMllp } from './mllp.js';
import { serve } from './server.js';
import { VERSION } from './version.js';

type Env = Record<string, string | undefined>;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CLI's actor: the OS user who ran the command, channel cli. */
function cliActor(): { userId: null; username: string; sourceIp: null; channel: 'cli' } {
  return { userId: null, username: `cli:${process.env.SUDO_USER ?? process.env.USER ?? 'unknown'}`, sourceIp: null, channel: 'cli' };
}

function envWith(program: Command, base: Env): Env {
  const dataDir = program.opts<{ dataDir?: string }>().dataDir;
  return dataDir ? { ...base, CHARTROOM_DATA_DIR: dataDir } : base;
}

async function withPlatform<T>(program: Command, env: Env, fn: (p: Platform) => Promise<T>): Promise<T> {
  const config = loadConfig(envWith(program, env), VERSION);
  const platform = await startPlatform(config, { migrations: MIGRATIONS, mode: 'cli', sealer: false, poolSize: 4 });
  if (platform.firstRun?.generatedPassword) {
    console.error(`First run: administrator "admin" created with password ${platform.firstRun.generatedPassword} (shown once; change it at first login).`);
  }
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

/** Builds the `chartroom` command. Exit codes: 0 ok, 1 failure found (e.g. broken audit chain), 2 usage or runtime error. */
export function buildCli(env: Env): Command {
  const program = new Command()
    .name('chartroom')
    .description('Chartroom health information management')
    .version(VERSION)
    .option('--data-dir <dir>', 'data directory of the embedded PostgreSQL (default ./data or CHARTROOM_DATA_DIR); ignored with DATABASE_URL');

  program.command('serve').description('start the server (embedded PostgreSQL unless DATABASE_URL is set)').action(() => serve(envWith(program, env)));
  program.command('mllp').description('run the HL7 v2 MLLP listener alone, without HTTP (CHARTROOM_MLLP_PORT, default 2575)').action(() => runMllp(envWith(program, env), (p) => patientsOf(p).adt));

  program.command('migrate').description('apply pending database migrations').action(() =>
    withPlatform(program, env, async (p) => {
      const r = await migrate(p.db.ownerPool, MIGRATIONS);
      console.log(`migrations: ${r.applied.length} applied now, ${r.alreadyApplied + r.applied.length} in total, database is up to date`);
    }),
  );

  const user = program.command('user').description('manage users');
  user
    .command('add <username>')
    .description('add a user; prints a temporary password unless --password is given')
    .option('--name <displayName>', 'display name (default: the username)')
    .addOption(new Option('--role <role...>', 'role code(s), e.g. coder him_director (or comma-separated)').default([]))
    .option('--password <password>', 'initial password (otherwise generated; must be changed at first login)')
    .option('--totp-secret <base32>', 'pre-enrol this TOTP secret (automation)')
    .action((username: string, o: { name?: string; role: string[]; password?: string; totpSecret?: string }) =>
      withPlatform(program, env, async (p) => {
        const roles = o.role.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
        const r = await p.users.create(null, cliActor(), { username, displayName: o.name ?? username, roles, password: o.password, totpSecret: o.totpSecret });
        console.log(`user ${r.user.username} added (id ${r.user.id}, roles ${r.user.roles.join(', ') || 'none'})`);
        if (r.temporaryPassword) console.log(`temporary password: ${r.temporaryPassword}`);
      }),
    );
  user.command('disable <username>').description('disable a user and end their sessions').action((username: string) =>
    withPlatform(program, env, async (p) => {
      await p.users.setDisabled(null, cliActor(), await p.users.idOf(username), true);
      console.log(`user ${username} disabled; their sessions ended`);
    }),
  );
  user.command('reset-mfa <username>').description('remove a user\'s TOTP enrolment; they enrol again at next login').action((username: string) =>
    withPlatform(program, env, async (p) => {
      await p.users.resetMfa(null, cliActor(), await p.users.idOf(username));
      console.log(`MFA of ${username} reset; they will enrol again at next login`);
    }),
  );

  const audit = program.command('audit').description('the audit trail');
  audit.command('verify').description('verify the hash chain, every row\'s HMAC and the anchored head').action(() =>
    withPlatform(program, env, async (p) => {
      const bar = progressBar('verifying');
      const r = await verifyAuditChain({ pool: p.db.ownerPool, key: p.secrets.auditKey, anchorFile: p.anchorFile, onProgress: (d, t) => bar.update(d, t) });
      bar.stop();
      if (r.ok) {
        console.log(`audit chain intact: ${r.checked + r.pending} events checked (${r.checked} chained up to link ${r.headSeq}, anchored at ${r.anchorSeq ?? 'none'})`);
        return;
      }
      const first = r.problems[0]!;
      console.error(`audit chain BROKEN at ${first.eventId !== null ? `event ${first.eventId}` : 'the anchor'}: ${first.problem}`);
      for (const x of r.problems.slice(1, 20)) console.error(`  also: ${x.problem}`);
      process.exitCode = 1;
    }),
  );
  audit
    .command('export')
    .description('export audit events as CSV (the export is itself audited)')
    .option('--from <date>', 'from (ISO date or date-time)')
    .option('--to <date>', 'to (ISO date or date-time)')
    .option('--user <username>')
    .option('--patient <id>')
    .option('--action <action>')
    .option('--category <category>')
    .option('--out <file>', 'write to a file instead of standard output')
    .action((o: { from?: string; to?: string; user?: string; patient?: string; action?: string; category?: string; out?: string }) =>
      withPlatform(program, env, async (p) => {
        const { out, ...filters } = o;
        const sink: NodeJS.WritableStream = out ? fs.createWriteStream(out) : process.stdout;
        let rows = -1;
        for await (const chunk of auditCsv(p.db.app, { ...filters, order: 'asc' })) {
          rows += chunk.split('\r\n').length - 1;
          if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
        }
        await p.audit.record(cliActor(), { action: 'export', category: 'audit', resourceType: 'AuditEvent', details: { filters: Object.keys(filters), rows, format: 'csv' } });
        if (out) {
          await new Promise<void>((r) => sink.end(() => r()));
          console.error(`${rows} audit events written to ${out}`);
        }
      }),
    );
  registerMpiAndDemoCommands(program, (fn) => withPlatform(program, env, (p) => fn(p, cliActor())));
  registerFhirCommands(program, {
    run: (fn) => withPlatform(program, env, (p) => {
      const m = patientsOf(p);
      return fn({ fhir: { db: p.db.app as never, patients: m.patients, feed: m.feed, review: m.review, encounters: m.encounters }, actor: cliActor() });
    }),
  });
  registerMpiDedupeCommand(program);
  registerCodesetCommands(program, {
    run: (fn) =>
      withPlatform(program, env, (p) => {
        const c = codesetsOf(p);
        return fn({
          codes: c.codes, importCodesets: c.importCodesets, actor: cliActor(),
          downloadDir: path.join(p.config.dataDir, 'downloads'),
          sourcesFile: p.config.codesetSourcesFile ?? path.join(REPO_ROOT, 'config', 'codeset-sources.json'),
        });
      }),
  });
  registerMceCommands(program, { run: (fn) => withPlatform(program, env, (p) => fn({ mce: mceOf(p), actor: cliActor() })) });
  registerGrouperCommands(program, {
    run: (fn) => withPlatform(program, env, (p) => fn({ grouper: grouperOf(p), actor: cliActor(), cache: grouperCache(p.config) })),
    offline: () => offlineGrouper(loadConfig(envWith(program, env), VERSION)),
  });
  return program;
}

/** Entry point used by bin/chartroom.js. */
export async function main(argv: string[], env: Env): Promise<void> {
  try {
    await buildCli(env).parseAsync(argv);
  } catch (error) {
    if (isAppError(error)) console.error(`error ${error.code}: ${error.detail}`);
    else console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
