import { describe, expect, it } from 'vitest';
import { encodeFrame, MllpDecoder, type FrameEvent } from './framer.js';

const A = 'MSH|^~\\&|A|B|||20250101||ADT^A01|1|P|2.4\rPID|||1\r';
const B = 'MSH|^~\\&|A|B|||20250101||ADT^A08|2|P|2.4\rPID|||2\r';

const frames = (events: FrameEvent[]) => events.filter((e) => e.kind === 'frame').map((e) => (e.kind === 'frame' ? e.payload.toString('utf8') : ''));

function feed(decoder: MllpDecoder, parts: Buffer[]): FrameEvent[] {
  return parts.flatMap((p) => decoder.push(p));
}

describe('MllpDecoder', () => {
  it('cuts one frame', () => {
    expect(frames(new MllpDecoder().push(encodeFrame(A)))).toEqual([A]);
  });

  it('cuts two frames in one chunk (the case @medplum/hl7 loses)', () => {
    expect(frames(new MllpDecoder().push(Buffer.concat([encodeFrame(A), encodeFrame(B)])))).toEqual([A, B]);
  });

  it('cuts a frame split at every byte position, and two frames split at every position', () => {
    const one = encodeFrame(A);
    for (let at = 0; at <= one.length; at++) {
      const d = new MllpDecoder();
      expect(frames(feed(d, [one.subarray(0, at), one.subarray(at)])), `split at ${at}`).toEqual([A]);
      expect(d.buffered).toBe(0);
    }
    const two = Buffer.concat([encodeFrame(A), encodeFrame(B)]);
    for (let at = 0; at <= two.length; at++) {
      expect(frames(feed(new MllpDecoder(), [two.subarray(0, at), two.subarray(at)]))).toEqual([A, B]);
    }
  });

  it('cuts frames fed one byte at a time', () => {
    const two = Buffer.concat([encodeFrame(A), encodeFrame(B)]);
    const d = new MllpDecoder();
    const out: FrameEvent[] = [];
    for (const byte of two) out.push(...d.push(Buffer.from([byte])));
    expect(frames(out)).toEqual([A, B]);
  });

  it('handles the trailer split across chunks (FS | CR)', () => {
    const f = encodeFrame(A);
    const d = new MllpDecoder();
    expect(d.push(f.subarray(0, f.length - 1))).toEqual([]);
    expect(frames(d.push(f.subarray(f.length - 1)))).toEqual([A]);
  });

  it('keeps a lone FS that is not followed by CR as data', () => {
    const body = `${A}x\x1cy`;
    expect(frames(new MllpDecoder().push(encodeFrame(body)))).toEqual([body]);
    const f = encodeFrame(body);
    const at = f.indexOf(0x1c) + 1;
    expect(frames(feed(new MllpDecoder(), [f.subarray(0, at), f.subarray(at)]))).toEqual([body]);
  });

  it('discards and reports junk before a start byte', () => {
    const d = new MllpDecoder();
    const out = d.push(Buffer.concat([Buffer.from('garbage\r\n'), encodeFrame(A), Buffer.from([0xff, 0x00]), encodeFrame(B)]));
    expect(out.map((e) => e.kind)).toEqual(['junk', 'frame', 'junk', 'frame']);
    expect(out[0]).toEqual({ kind: 'junk', bytes: 9 });
    expect(out[2]).toEqual({ kind: 'junk', bytes: 2 });
    expect(d.push(Buffer.from('no start byte at all'))).toEqual([{ kind: 'junk', bytes: 20 }]);
  });

  it('restarts on a start byte inside an unfinished frame', () => {
    const out = new MllpDecoder().push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('half a mess'), encodeFrame(B)]));
    expect(out.map((e) => e.kind)).toEqual(['junk', 'frame']);
    expect(frames(out)).toEqual([B]);
  });

  it('refuses a frame over the limit at once, drops its rest and carries on', () => {
    const d = new MllpDecoder(100);
    const big = encodeFrame('MSH|' + 'x'.repeat(500));
    const first = d.push(big.subarray(0, 200));
    expect(first).toEqual([{ kind: 'oversize', bytes: 199 }]);
    expect(d.buffered).toBe(0);
    expect(frames(d.push(Buffer.concat([big.subarray(200), encodeFrame(A)])))).toEqual([A]);
  });

  it('encodes VT message FS CR, UTF-8', () => {
    const f = encodeFrame('é');
    expect([...f]).toEqual([0x0b, 0xc3, 0xa9, 0x1c, 0x0d]);
  });
});
