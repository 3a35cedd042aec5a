import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error.js';

// argon2id (the library's default algorithm) with OWASP's minimum: m=19 MiB, t=2, p=1.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | null = null;

/**
 * Verifies a password. With no stored hash (unknown user) it verifies against a dummy hash, so an unknown
 * user costs the same time as a wrong password.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export const MIN_PASSWORD_LENGTH = 12;

/** Length over composition rules (NIST SP 800-63B): at least 12 characters, not the username. */
export function checkPasswordStrength(password: string, username: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('PASSWORD_TOO_WEAK', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new AppError('PASSWORD_TOO_WEAK', 'the password must not contain the username');
  }
  if (new Set(password).size < 4) {
    throw new AppError('PASSWORD_TOO_WEAK', 'the password repeats too few different characters');
  }
}

/** A generated password for first runs and resets: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
