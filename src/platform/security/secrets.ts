import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Keys that must not live in the database: the embedded cluster's owner password, the audit HMAC key and
 * the field-encryption key. Generated on first run into `<data dir>/secrets.json` (mode 0600).
 */
export interface Secrets {
  pgPassword: string;
  auditKey: Buffer;
  fieldKey: Buffer;
}

export function loadSecrets(dataDir: string, overrides: { auditKey: string | null }): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  let raw: { pgPassword: string; auditKey: string; fieldKey: string };
  if (fs.existsSync(file)) {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } else {
    raw = {
      pgPassword: randomBytes(24).toString('base64url'),
      auditKey: randomBytes(32).toString('hex'),
      fieldKey: randomBytes(32).toString('hex'),
    };
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(raw, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  return {
    pgPassword: raw.pgPassword,
    auditKey: overrides.auditKey ? Buffer.from(overrides.auditKey, 'utf8') : Buffer.from(raw.auditKey, 'hex'),
    fieldKey: Buffer.from(raw.fieldKey, 'hex'),
  };
}

/** AES-256-GCM for secrets stored in rows (TOTP seeds; later, SSNs). Output: base64url(iv|tag|ciphertext). */
export function sealField(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openField(key: Buffer, sealed: string): string {
  const buf = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}
