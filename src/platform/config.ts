import path from 'node:path';
import { AppError } from './errors/app-error.js';

/** The one typed configuration object, read from the environment once at start-up. */
export interface Config {
  version: string;
  dataDir: string;
  databaseUrl: string | null;
  /** Named statements on the application pool (off behind a transaction-pooling proxy). */
  preparedStatements: boolean;
  embeddedPgPort: number;
  /** Extra `name=value` settings for the embedded PostgreSQL (`CHARTROOM_PG_SETTINGS`). */
  embeddedPgSettings: Record<string, string>;
  host: string;
  port: number;
  trustProxy: boolean;
  facilityName: string;
  adminPassword: string | null;
  adminTotpSecret: string | null;
  auditKey: string | null;
  session: { idleSeconds: number; absoluteSeconds: number };
  lockout: { threshold: number; minutes: number };
  totpRejectReuse: boolean;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  auditSealIntervalMs: number;
  /** A folder of code-set releases imported at start-up when none is loaded yet. */
  refdataDir: string | null;
  /** The list of release URLs `import codesets --download` fetches (null: the one shipped in config/). */
  codesetSourcesFile: string | null;
  /** The HL7 v2 MLLP listener (port null: off). TLS when both cert and key are set; senders must show a certificate signed by `tlsCa` when it is set. */
  mllp: { port: number | null; host: string; tlsCert: string | null; tlsKey: string | null; tlsCa: string | null; maxFrameBytes: number; senderUtcOffset: string };
  /** The master patient index: MRN format (`{n:8}` the sequence zero-padded, `{check}` its Luhn digit). */
  mpi: { mrnFormat: string };
  /** Coding: the hospital's base rate (expected payment = DRG weight × base rate) and query escalation. */
  coding: { baseRate: number; queryEscalateDays: number };
}

type Env = Record<string, string | undefined>;

function num(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new AppError('CONFIG_INVALID', `${key} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new AppError('CONFIG_INVALID', `${key} must be true or false, got "${raw}"`);
}

/** Settings Chartroom itself decides for the embedded server: where it listens and where its files are. */
const RESERVED_PG_SETTINGS = new Set(['listen_addresses', 'port', 'unix_socket_directories', 'data_directory', 'config_file', 'hba_file', 'ident_file']);

/**
 * `CHARTROOM_PG_SETTINGS`: settings for the embedded PostgreSQL as `name=value` pairs separated by `;`
 * (e.g. `shared_buffers=1GB;work_mem=32MB`), handed to the server as `-c name=value` at its start.
 */
export function parsePgSettings(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*=\s*(.*)$/.exec(item);
    if (!m || m[2] === '' || /[\x00-\x1F\x7F]/.test(m[2]!)) {
      throw new AppError('CONFIG_INVALID', `CHARTROOM_PG_SETTINGS must be name=value pairs separated by ";" (e.g. "shared_buffers=1GB;work_mem=32MB"), got "${item}"`);
    }
    const name = m[1]!.toLowerCase();
    if (RESERVED_PG_SETTINGS.has(name)) {
      throw new AppError('CONFIG_INVALID', `CHARTROOM_PG_SETTINGS cannot set ${name}: Chartroom keeps the embedded server on 127.0.0.1 in its data directory (use CHARTROOM_PG_PORT for the port)`);
    }
    out[name] = m[2]!;
  }
  return out;
}

function mrnFormat(format: string): string {
  if (!/\{n:\d{1,2}\}/.test(format) || format.length > 40 || /[^A-Za-z0-9{}:\-]/.test(format)) {
    throw new AppError('CONFIG_INVALID', 'CHARTROOM_MRN_FORMAT needs {n:<digits>} (e.g. "M{n:7}{check}"); letters, digits and "-" only');
  }
  return format;
}

function mllpPort(env: Env): number | null {
  const raw = env.CHARTROOM_MLLP_PORT;
  if (raw !== undefined && /^(off|none|false|no)$/i.test(raw.trim())) return null;
  return num(env, 'CHARTROOM_MLLP_PORT', 2575, 0, 65535);
}

function utcOffset(raw: string | undefined): string {
  const value = raw || '+0000';
  if (!/^[+-](0\d|1[0-4])[0-5]\d$/.test(value)) throw new AppError('CONFIG_INVALID', `CHARTROOM_MLLP_SENDER_UTC_OFFSET must look like +0000 or -0500, got "${value}"`);
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/**
 * Reads and validates the configuration.
 * @param env - the environment (process.env at the composition root; a plain object in tests)
 * @param version - the application version
 */
export function loadConfig(env: Env, version: string): Config {
  const logLevel = (env.CHARTROOM_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new AppError('CONFIG_INVALID', `CHARTROOM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const totp = env.CHARTROOM_ADMIN_TOTP_SECRET?.replace(/\s+/g, '').toUpperCase() || null;
  if (totp !== null && !/^[A-Z2-7]+=*$/.test(totp)) {
    throw new AppError('CONFIG_INVALID', 'CHARTROOM_ADMIN_TOTP_SECRET must be base32 (A-Z, 2-7)');
  }
  return {
    version,
    dataDir: path.resolve(env.CHARTROOM_DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || null,
    preparedStatements: bool(env, 'CHARTROOM_DB_PREPARED_STATEMENTS', true),
    embeddedPgPort: num(env, 'CHARTROOM_PG_PORT', 54329, 1024, 65535),
    embeddedPgSettings: parsePgSettings(env.CHARTROOM_PG_SETTINGS),
    host: env.CHARTROOM_HOST || 'localhost',
    port: num(env, 'PORT', 8080, 0, 65535),
    trustProxy: bool(env, 'CHARTROOM_TRUST_PROXY', false),
    facilityName: env.CHARTROOM_FACILITY_NAME || 'Chartroom Facility',
    adminPassword: env.CHARTROOM_ADMIN_PASSWORD || null,
    adminTotpSecret: totp,
    auditKey: env.CHARTROOM_AUDIT_KEY || null,
    session: {
      idleSeconds: Math.round(num(env, 'CHARTROOM_SESSION_IDLE_MINUTES', 15, 0.01, 24 * 60) * 60),
      absoluteSeconds: Math.round(num(env, 'CHARTROOM_SESSION_MAX_HOURS', 12, 0.01, 24 * 7) * 3600),
    },
    lockout: {
      threshold: num(env, 'CHARTROOM_LOCKOUT_THRESHOLD', 5, 1, 100),
      minutes: num(env, 'CHARTROOM_LOCKOUT_MINUTES', 15, 0.01, 24 * 60),
    },
    totpRejectReuse: bool(env, 'CHARTROOM_TOTP_REJECT_REUSE', false),
    bodyLimitBytes: num(env, 'CHARTROOM_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel,
    auditSealIntervalMs: num(env, 'CHARTROOM_AUDIT_SEAL_INTERVAL_MS', 250, 10, 60_000),
    refdataDir: env.CHARTROOM_REFDATA ? path.resolve(env.CHARTROOM_REFDATA) : null,
    codesetSourcesFile: env.CHARTROOM_CODESET_SOURCES ? path.resolve(env.CHARTROOM_CODESET_SOURCES) : null,
    mllp: {
      port: mllpPort(env),
      host: env.CHARTROOM_MLLP_HOST || '127.0.0.1',
      tlsCert: env.CHARTROOM_MLLP_TLS_CERT ? path.resolve(env.CHARTROOM_MLLP_TLS_CERT) : null,
      tlsKey: env.CHARTROOM_MLLP_TLS_KEY ? path.resolve(env.CHARTROOM_MLLP_TLS_KEY) : null,
      tlsCa: env.CHARTROOM_MLLP_TLS_CA ? path.resolve(env.CHARTROOM_MLLP_TLS_CA) : null,
      maxFrameBytes: num(env, 'CHARTROOM_MLLP_MAX_FRAME_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      senderUtcOffset: utcOffset(env.CHARTROOM_MLLP_SENDER_UTC_OFFSET),
    },
    mpi: { mrnFormat: mrnFormat(env.CHARTROOM_MRN_FORMAT || '{n:8}{check}') },
    coding: {
      baseRate: num(env, 'CHARTROOM_BASE_RATE', 6500, 1, 1_000_000),
      queryEscalateDays: num(env, 'CHARTROOM_QUERY_ESCALATE_DAYS', 3, 0.001, 365),
    },
  };
}
