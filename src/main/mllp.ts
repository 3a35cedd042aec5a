import fs from 'node:fs';
import tls from 'node:tls';
import type { AdtHandler } from '../interop/hl7v2/adt-event.js';
import { IntakeBatcher } from '../interop/hl7v2/intake.js';
import { MllpListener } from '../interop/hl7v2/listener.js';
import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors/app-error.js';
import { startPlatform, type Platform } from '../platform/runtime.js';
import { hl7v2Of } from './hl7v2.js';
import { MIGRATIONS } from './migrations.js';
import { VERSION } from './version.js';

export interface RunningMllp {
  port: number;
  tls: boolean;
  /** Senders must show a certificate signed by CHARTROOM_MLLP_TLS_CA. */
  clientCertificates: boolean;
  listener: MllpListener;
  /** Stops accepting and drains: the message being applied on each connection finishes and is answered. */
  stop(): Promise<void>;
}

function readTls(cert: string | null, key: string | null, ca: string | null): { cert: Buffer; key: Buffer; ca: Buffer | null } | null {
  if (!cert && !key && !ca) return null;
  if (!cert || !key) throw new AppError('MLLP_TLS_INVALID', ca ? 'CHARTROOM_MLLP_TLS_CA needs CHARTROOM_MLLP_TLS_CERT and CHARTROOM_MLLP_TLS_KEY' : 'Set both CHARTROOM_MLLP_TLS_CERT and CHARTROOM_MLLP_TLS_KEY, or neither');
  try {
    const files = { cert: fs.readFileSync(cert), key: fs.readFileSync(key), ca: ca ? fs.readFileSync(ca) : null };
    // A key that does not match the certificate, or a CA file that holds no certificate, fails here, not at the first connection.
    tls.createSecureContext({ cert: files.cert, key: files.key, ...(files.ca ? { ca: files.ca } : {}) });
    if (files.ca && !/-----BEGIN CERTIFICATE-----/.test(files.ca.toString('latin1'))) throw new Error(`${ca} holds no PEM certificate`);
    return files;
  } catch (e) {
    throw new AppError('MLLP_TLS_INVALID', `MLLP TLS certificate/key/CA unusable: ${(e as Error).message}`, { cause: e });
  }
}

/** How the listener speaks, for its start-up line: '', ' (TLS)' or ' (TLS, client certificates required)'. */
export function transportOf(m: RunningMllp): string {
  return m.clientCertificates ? ' (TLS, client certificates required)' : m.tls ? ' (TLS)' : '';
}

/**
 * Starts the HL7 v2 MLLP listener on the platform (CHARTROOM_MLLP_HOST:CHARTROOM_MLLP_PORT).
 * @param opts.handler - the AdtHandler (the encounters module's ADT applier; a recording one in tests)
 */
export async function startMllp(platform: Platform, opts: { handler: AdtHandler; port?: number; log?: (line: string) => void }): Promise<RunningMllp> {
  const c = platform.config.mllp;
  const log = opts.log ?? ((l: string) => console.error(l));
  const secure = readTls(c.tlsCert, c.tlsKey, c.tlsCa);
  const { intake } = hl7v2Of(platform, opts.handler, log);
  const port = opts.port ?? c.port ?? 2575;
  const batcher = new IntakeBatcher(intake);
  const listener = new MllpListener({
    port, host: c.host, tls: secure, maxFrameBytes: c.maxFrameBytes, log,
    receive: (raw, peer, sender) => batcher.submit(raw, { peer, sender }),
  });
  const bound = await listener.start();
  return { port: bound, tls: secure !== null, clientCertificates: secure?.ca != null, listener, stop: () => listener.stop() };
}

/** `chartroom mllp`: the listener alone (no HTTP), until SIGTERM/SIGINT, then a drained stop. */
export async function runMllp(env: Record<string, string | undefined>, handlerOf: (p: Platform) => AdtHandler): Promise<void> {
  const config = loadConfig(env, VERSION);
  if (config.mllp.port === null) throw new AppError('CONFIG_INVALID', 'CHARTROOM_MLLP_PORT is off; set a port to run the MLLP listener');
  const platform = await startPlatform(config, {
    migrations: MIGRATIONS, mode: 'server', sealer: true, poolSize: 12,
    onSealerError: (e) => console.error(`audit sealer: ${(e as Error).message}`),
  });
  let mllp: RunningMllp;
  try {
    mllp = await startMllp(platform, { handler: handlerOf(platform) });
  } catch (e) {
    await platform.close();
    throw e;
  }
  console.log(`Chartroom ${VERSION} MLLP listener on ${config.mllp.host}:${mllp.port}${transportOf(mllp)}`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      console.log(`${signal}: finishing the messages in progress and stopping…`);
      mllp.stop().then(() => platform.close()).then(resolve, (e: unknown) => {
        console.error(`shutdown error: ${(e as Error).message}`);
        resolve();
      });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  console.log('MLLP listener stopped.');
}
