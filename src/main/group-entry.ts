import { Command } from 'commander';
import { registerGrouperCommands } from '../grouper/cli.js';
import { loadConfig } from '../platform/config.js';
import { isAppError } from '../platform/errors/app-error.js';
import { offlineGrouper } from './grouper-offline.js';
import { VERSION } from './version.js';

type Env = Record<string, string | undefined>;

/** Thrown to hand the command to the full CLI (anything that needs the database). */
class NeedsDatabase extends Error {}

/**
 * `chartroom group` without loading the whole CLI: when the embedded database's imports left a compiled cache,
 * grouping a file needs neither PostgreSQL nor the server's modules (bin/chartroom.js routes `group` here).
 * Anything else (`--versions`, `--no-cache`, no cache yet, DATABASE_URL) runs the full CLI as usual.
 */
export async function main(argv: string[], env: Env): Promise<void> {
  const program = new Command().name('chartroom').version(VERSION).option('--data-dir <dir>').exitOverride();
  // silent: on any usage problem the full CLI runs the command again and reports it
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  const configOf = () => {
    const dataDir = program.opts<{ dataDir?: string }>().dataDir;
    return loadConfig(dataDir ? { ...env, CHARTROOM_DATA_DIR: dataDir } : env, VERSION);
  };
  registerGrouperCommands(program, {
    run: () => Promise.reject(new NeedsDatabase()),
    offline: () => offlineGrouper(configOf()),
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof NeedsDatabase || (error instanceof Error && 'code' in error && String(error.code).startsWith('commander.'))) {
      const full = (await import('./cli.js')) as { main(argv: string[], env: Env): Promise<void> };
      process.exitCode = undefined;
      await full.main(argv, env);
      return;
    }
    if (isAppError(error)) console.error(`error ${error.code}: ${error.detail}`);
    else console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
