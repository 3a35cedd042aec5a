/**
 * MLLP framing (HL7 v2 minimal lower layer protocol): a frame is VT (0x0B), the message, FS (0x1C), CR (0x0D).
 * A pure incremental decoder: feed it TCP chunks in any split, get back complete frames in order.
 */

export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;

export const DEFAULT_MAX_FRAME_BYTES = 10 * 1024 * 1024;

export type FrameEvent =
  | { kind: 'frame'; payload: Buffer }
  /** Bytes outside any frame (before a start byte), dropped. */
  | { kind: 'junk'; bytes: number }
  /** A frame grew past the limit (reported once, when it does); the rest of it is dropped up to its FS CR. */
  | { kind: 'oversize'; bytes: number };

/** Incremental MLLP decoder. Keeps at most `maxFrameBytes` buffered. */
export class MllpDecoder {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private inFrame = false;
  /** Discarding an oversize frame until its FS CR. */
  private skipping = false;
  private skipped = 0;
  /** The previous chunk ended in FS inside a frame (the CR may come in the next chunk). */
  private pendingFs = false;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /**
   * Feeds one chunk.
   * @param chunk - bytes as they came from the socket
   * @returns the frames completed by this chunk and what was dropped, in order
   */
  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    let i = 0;
    let junk = 0;
    const flushJunk = () => {
      if (junk > 0) out.push({ kind: 'junk', bytes: junk });
      junk = 0;
    };
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(START_BLOCK, i);
        if (start === -1) {
          junk += chunk.length - i;
          break;
        }
        junk += start - i;
        flushJunk();
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      if (this.pendingFs) {
        this.pendingFs = false;
        if (chunk[i] === CARRIAGE_RETURN) {
          this.finish(out);
          i += 1;
          continue;
        }
        this.append(Buffer.from([END_BLOCK]), out); // a lone FS is data
      }
      const fs = chunk.indexOf(END_BLOCK, i);
      const restart = chunk.indexOf(START_BLOCK, i);
      if (restart !== -1 && (fs === -1 || restart < fs)) {
        // A start byte inside a frame: the sender gave up on the previous frame; drop it and begin again.
        junk += this.length + (restart - i) + 1;
        this.reset();
        flushJunk();
        this.inFrame = true;
        i = restart + 1;
        continue;
      }
      const end = fs === -1 ? chunk.length : fs;
      this.append(chunk.subarray(i, end), out);
      if (fs === -1) break;
      if (fs + 1 >= chunk.length) {
        this.pendingFs = true;
        break;
      }
      if (chunk[fs + 1] === CARRIAGE_RETURN) {
        this.finish(out);
        i = fs + 2;
      } else {
        this.append(chunk.subarray(fs, fs + 1), out);
        i = fs + 1;
      }
    }
    flushJunk();
    return out;
  }

  /** Bytes of an unfinished frame (0 between frames). */
  get buffered(): number {
    return this.length;
  }

  private append(part: Buffer, out: FrameEvent[]): void {
    if (this.skipping) {
      this.skipped += part.length;
      return;
    }
    if (this.length + part.length > this.maxFrameBytes) {
      // Reported at once, so the listener can refuse it without waiting for (or buffering) the rest.
      this.skipping = true;
      this.skipped = this.length + part.length;
      this.chunks.length = 0;
      this.length = 0;
      out.push({ kind: 'oversize', bytes: this.skipped });
      return;
    }
    if (part.length > 0) {
      // Copy: the socket may reuse its buffer.
      this.chunks.push(Buffer.from(part));
      this.length += part.length;
    }
  }

  private finish(out: FrameEvent[]): void {
    if (!this.skipping) out.push({ kind: 'frame', payload: Buffer.concat(this.chunks, this.length) });
    this.reset();
  }

  private reset(): void {
    this.chunks.length = 0;
    this.length = 0;
    this.inFrame = false;
    this.skipping = false;
    this.skipped = 0;
  }
}

/** Wraps one message (text) in an MLLP frame. */
export function encodeFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  const frame = Buffer.allocUnsafe(body.length + 3);
  frame[0] = START_BLOCK;
  body.copy(frame, 1);
  frame[body.length + 1] = END_BLOCK;
  frame[body.length + 2] = CARRIAGE_RETURN;
  return frame;
}
