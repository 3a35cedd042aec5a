import net from 'node:net';
import { encodeFrame, MllpDecoder } from '../../src/interop/hl7v2/framer.js';

/** A test MLLP sender: writes bytes however it is told, and collects the ACK frames in order. */
export class MllpClient {
  private readonly decoder = new MllpDecoder();
  private readonly acks: string[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.decoder.push(chunk)) if (ev.kind === 'frame') this.acks.push(ev.payload.toString('utf8'));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<MllpClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new MllpClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Waits for the next ACK (null when the connection closed first). */
  async next(timeoutMs = 20_000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.acks.length === 0) {
      if (this.closed) return null;
      if (Date.now() > deadline) throw new Error('no ACK in time');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.acks.shift()!;
  }

  /** Sends one message framed and waits for its ACK. */
  async send(message: string): Promise<string | null> {
    this.write(encodeFrame(message));
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
