import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../../platform/errors/app-error.js';
import { buildBareNak } from './ack.js';
import { encodeFrame, MllpDecoder } from './framer.js';
import { IntakeUnavailable, type IntakeResult } from './intake.js';

export interface ListenerOptions {
  port: number;
  host: string;
  /** PEM certificate and key: MLLP over TLS; with `ca`, a sender must show a certificate that CA signed. */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer | null } | null;
  maxFrameBytes: number;
  /** Handles one message (stores, applies, answers); `sender`: the subject of the sender's verified certificate. */
  receive: (raw: string, peer: string | null, sender: string | null) => Promise<IntakeResult>;
  /** Notable events, never patient data. */
  log: (line: string) => void;
}

/** Frames waiting on one connection before it stops reading (the sender waits for ACKs anyway). */
const MAX_QUEUED = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(payload: Buffer): string {
  try {
    return utf8.decode(payload);
  } catch {
    return payload.toString('latin1'); // ISO 8859-1 senders (MSH-18 8859/1)
  }
}

/** The certificate's subject as `CN=…` (its common name), or its whole subject when it has none. */
function subjectOf(cert: tls.PeerCertificate): string | null {
  const subject = cert.subject as Record<string, string | string[] | undefined> | undefined;
  if (!subject) return null;
  const cn = subject.CN;
  if (cn) return `CN=${Array.isArray(cn) ? cn.join('+') : cn}`.slice(0, 120);
  const all = Object.entries(subject).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(',');
  return all ? all.slice(0, 120) : null;
}

interface Connection {
  socket: net.Socket;
  busy: boolean;
  queue: string[];
  closing: boolean;
}

/**
 * The HL7 v2 MLLP listener: one message at a time per connection, in order, each answered only after
 * `receive` has committed it. Connections run side by side; `receive` serialises per patient.
 */
export class MllpListener {
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private idle: (() => void) | null = null;
  private nakSeq = 0;

  constructor(private readonly opts: ListenerOptions) {}

  /** Listens; a busy port is MLLP_PORT_IN_USE. Resolves with the bound port. */
  async start(): Promise<number> {
    const onSocket = (socket: net.Socket) => this.accept(socket);
    const t = this.opts.tls;
    const server = t
      ? tls.createServer({ cert: t.cert, key: t.key, ...(t.ca ? { ca: t.ca, requestCert: true, rejectUnauthorized: true } : {}) }, onSocket)
      : net.createServer(onSocket);
    server.on('tlsClientError', (e: Error) => this.opts.log(`mllp: TLS handshake failed: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') reject(new AppError('MLLP_PORT_IN_USE', `MLLP port ${this.opts.host}:${this.opts.port} is already in use (CHARTROOM_MLLP_PORT)`, { cause: e }));
        else if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') reject(new AppError('CONFIG_INVALID', `cannot listen for MLLP on ${this.opts.host}:${this.opts.port}: ${e.code}`, { cause: e }));
        else reject(e);
      });
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    server.on('error', (e: Error) => this.opts.log(`mllp: server error: ${e.message}`));
    this.server = server;
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.opts.port;
  }

  /**
   * Stops accepting, lets each connection finish the message it is applying (and send its ACK), then closes.
   * Frames received but not started are left unanswered: the sender resends them.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    for (const c of this.connections) {
      c.closing = true;
      c.queue.length = 0;
      c.socket.pause();
      if (!c.busy) c.socket.end();
    }
    const drained = new Promise<void>((resolve) => {
      if (![...this.connections].some((c) => c.busy)) resolve();
      else this.idle = resolve;
    });
    await Promise.race([drained, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    for (const c of this.connections) c.socket.destroy();
    await closed;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: net.Socket): void {
    const peer = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? ''}` : null;
    // Over TLS with client certificates the handshake has verified the sender's certificate: who it names.
    const sender = socket instanceof tls.TLSSocket && socket.authorized ? subjectOf(socket.getPeerCertificate()) : null;
    const decoder = new MllpDecoder(this.opts.maxFrameBytes);
    const c: Connection = { socket, busy: false, queue: [], closing: false };
    this.connections.add(c);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.kind === 'frame') c.queue.push(decode(ev.payload));
        else if (ev.kind === 'junk') this.opts.log(`mllp: ${ev.bytes} bytes outside any frame from ${peer ?? '?'} discarded`);
        else {
          this.opts.log(`mllp: frame over ${this.opts.maxFrameBytes} bytes from ${peer ?? '?'} refused`);
          socket.write(encodeFrame(buildBareNak(`N${++this.nakSeq}`, { condition: '100', location: null, text: `Frame larger than ${this.opts.maxFrameBytes} bytes refused` })));
        }
      }
      if (c.queue.length >= MAX_QUEUED) socket.pause();
      void this.drain(c, peer, sender);
    });
    socket.on('error', () => undefined); // resets are normal; 'close' follows
    socket.on('close', () => {
      c.closing = true;
      c.queue.length = 0;
      this.connections.delete(c);
      this.checkIdle();
    });
  }

  private async drain(c: Connection, peer: string | null, sender: string | null): Promise<void> {
    if (c.busy) return;
    c.busy = true;
    try {
      while (c.queue.length > 0 && !c.closing) {
        const raw = c.queue.shift()!;
        let result: IntakeResult;
        try {
          result = await this.opts.receive(raw, peer, sender);
        } catch (e) {
          // Nothing was stored: answer nothing, drop the connection; the sender resends.
          this.opts.log(`mllp: message from ${peer ?? '?'} not stored (${e instanceof IntakeUnavailable ? e.message : (e as Error).message}); connection closed without ACK`);
          c.closing = true;
          c.socket.destroy();
          break;
        }
        if (!c.socket.destroyed) c.socket.write(encodeFrame(result.ack));
        if (c.queue.length < MAX_QUEUED / 2 && c.socket.isPaused() && !c.closing) c.socket.resume();
      }
    } finally {
      c.busy = false;
      if (c.closing && !c.socket.destroyed) c.socket.end();
      this.checkIdle();
    }
  }

  private checkIdle(): void {
    if (this.idle && ![...this.connections].some((x) => x.busy)) {
      const r = this.idle;
      this.idle = null;
      r();
    }
  }
}
