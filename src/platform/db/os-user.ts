import { execFileSync } from 'node:child_process';
import { AppError } from '../errors/app-error.js';

export interface OsUser {
  uid: number;
  gid: number;
}

/** Looks up an OS user, creating it (as a system user without login) when it is missing. */
export function osUser(name: string): OsUser {
  const lookup = (): OsUser | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  } catch (cause) {
    throw new AppError('EMBEDDED_DB_FAILED', `could not create the OS user "${name}" for PostgreSQL`, { cause });
  }
  const created = lookup();
  if (!created) throw new AppError('EMBEDDED_DB_FAILED', `the OS user "${name}" is missing`);
  return created;
}
