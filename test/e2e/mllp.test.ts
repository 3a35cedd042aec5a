import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import tls from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAck } from '../../src/interop/hl7v2/ack.js';
import { SUPPORTED_ADT_EVENTS } from '../../src/interop/hl7v2/adt-event.js';
import { encodeFrame, MllpDecoder } from '../../src/interop/hl7v2/framer.js';
import { hl7v2Of } from '../../src/main/hl7v2.js';
import { startMllp, type RunningMllp } from '../../src/main/mllp.js';
import { isAppError } from '../../src/platform/errors/app-error.js';
import { MllpClient } from '../support/mllp-client.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { RECORDING_TABLE, RecordingApplier } from '../support/recording-applier.js';
import { corpusInOrder, CORPUS } from '../support/hl7-corpus.js';

const read = (f: string) => fs.readFileSync(path.join(CORPUS, f), 'utf8');

const supported = (code: string, trigger: string) => code === 'ADT' && (SUPPORTED_ADT_EVENTS as readonly string[]).includes(trigger);

let t: TestPlatform;
let mllp: RunningMllp;
let client: MllpClient;
const applier = new RecordingApplier();
const logs: string[] = [];
const applied = async () => Number((await t.sql('select count(*)::int as n from test_adt_applied')).rows[0].n);

beforeAll(async () => {
  t = await startTestPlatform();
  await t.sql(RECORDING_TABLE);
  await t.sql('grant all on test_adt_applied to chartroom_app; grant all on sequence test_adt_applied_id_seq to chartroom_app');
  mllp = await startMllp(t.platform, { handler: applier, port: 0, log: (l) => logs.push(l) });
  client = await MllpClient.connect(mllp.port);
});
afterAll(async () => {
  client?.close();
  await mllp?.stop();
  await t?.close();
});

describe('replaying the corpus through a real MLLP socket', () => {
  it('answers every message: AA for applied ADT, AR with an ERR naming the event for the rest', async () => {
    const order = corpusInOrder();
    expect(order).toHaveLength(198);
    let aa = 0;
    for (const row of order) {
      const raw = read(row.file);
      const ack = readAck((await client.send(raw))!);
      const controlId = raw.split('\r', 1)[0]!.split('|')[9];
      expect(ack.controlId, row.file).toBe(controlId);
      if (supported(row.code, row.trigger)) {
        expect(`${row.file} ${ack.ackCode} ${ack.err ?? ''}`).toBe(`${row.file} AA `);
        aa++;
      } else {
        expect(ack.ackCode, row.file).toBe('AR');
        expect(ack.err, row.file).toContain(row.code === 'ADT' ? `ADT event ${row.trigger} is not supported` : `Message type ${row.code} ${row.trigger} is not supported`);
        expect(ack.err).toContain(row.code === 'ADT' ? '201^Unsupported event code' : '200^Unsupported message type');
      }
    }
    expect(aa).toBe(84);
    const byStatus = await t.sql('select status, count(*)::int as n from hl7v2_message group by status order by status');
    const counts = Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]));
    expect(counts.unsupported).toBe(198 - 84);
    expect((counts.applied ?? 0) + (counts.duplicate ?? 0)).toBe(84);
    // Identical files in the corpus are resends: applied once.
    expect(await applied()).toBe(counts.applied);
    const distinct = await t.sql("select count(distinct (sending_app, sending_facility, control_id, content_hash))::int as n from hl7v2_message where status in ('applied', 'duplicate')");
    expect(counts.applied).toBe(distinct.rows[0].n);
    // MSG00001 is reused across many files: the same key with other content is applied and flagged.
    const reused = await t.sql("select count(*)::int as n from hl7v2_message where reused_key and control_id = 'MSG00001'");
    expect(reused.rows[0].n).toBeGreaterThan(10);
  });

  it('a resend (same key, same content) is ACKed AA and not applied again; other content under the key is applied', async () => {
    const raw = read('uclh-emap/generic/A04.hl7');
    const before = await applied();
    expect(readAck((await client.send(raw))!).ackCode).toBe('AA');
    expect(await applied()).toBe(before);
    const last = await t.sql('select status from hl7v2_message order by id desc limit 1');
    expect(last.rows[0].status).toBe('duplicate');
    const changed = raw.replace('ORANGE', 'ORANGES');
    expect(readAck((await client.send(changed))!).ackCode).toBe('AA');
    expect(await applied()).toBe(before + 1);
    const row = await t.sql('select status, reused_key from hl7v2_message order by id desc limit 1');
    expect(row.rows[0]).toEqual({ status: 'applied', reused_key: true });
  });
});

describe('the broken set', () => {
  const good = read('uclh-emap/generic/A01.hl7');
  const openErrors = async () => Number((await t.sql("select count(*)::int as n from hl7v2_error where status = 'open'")).rows[0].n);

  async function nak(text: string | Buffer, expected: 'AE' | 'AR', errPart: string) {
    const before = await applied();
    const errorsBefore = await openErrors();
    client.write(Buffer.isBuffer(text) ? text : encodeFrame(text));
    const ack = readAck((await client.next())!);
    expect(ack.ackCode).toBe(expected);
    expect(ack.err).toContain(errPart);
    expect(await applied()).toBe(before);
    expect(await openErrors()).toBe(errorsBefore + 1);
    return ack;
  }

  it('bad segment, missing PID-3, unknown event, wrong encoding characters, 10k segments, binary', async () => {
    await nak(good.replace('\rPD1', '\rpd!|x'), 'AR', '100^Segment sequence error');
    await nak(good.replace('40800000^^^MRENTR^MEDREC~9999999999^^^NHS^HN', ''), 'AE', 'PID-3');
    await nak(good.replace('MSH|^~\\&', 'MSH|^~#&'), 'AR', 'MSH-1/MSH-2');
    await nak(good + 'OBX|1|TX|x||y\r'.repeat(10_000), 'AR', '10007 segments');
    await nak(Buffer.concat([Buffer.from([0x0b]), Buffer.from(good.slice(0, 60)), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.from(good.slice(60)), Buffer.from([0x1c, 0x0d])]), 'AR', 'control characters');
    await nak(encodeFrame('\x00\x01garbage'), 'AR', 'does not start with an MSH');
    // An unknown event is stored and answered AR, but it is not an error to work.
    client.write(encodeFrame(good.replace('ADT^A01', 'ADT^Z99')));
    const z = readAck((await client.next())!);
    expect(z.ackCode).toBe('AR');
    expect(z.err).toContain('ADT event Z99 is not supported');
  });

  it('a message the applier refuses is AE, queued, and nothing of it is kept', async () => {
    applier.failOn = (e) => e.patient.names[0]?.family === 'REFUSED';
    try {
      const ack = await nak(good.replace('ORANGE', 'REFUSED').replace('|31644|', '|REF1|'), 'AE', 'the test applier refuses');
      expect(ack.err).toContain('204^Unknown key identifier');
      const m = await t.sql("select status, ack_code from hl7v2_message where control_id = 'REF1'");
      expect(m.rows).toEqual([{ status: 'error', ack_code: 'AE' }]);
    } finally {
      applier.failOn = null;
    }
  });

  it('junk between frames is dropped; frames joined in one chunk and split across chunks are all answered in order', async () => {
    const msgs = [1, 2, 3, 4].map((i) => good.replace('|31644|', `|JOIN${i}|`));
    const before = await applied();
    client.write(Buffer.concat([Buffer.from('junk\r\n'), encodeFrame(msgs[0]!), encodeFrame(msgs[1]!), Buffer.from([0xff, 0x00])]));
    const split = Buffer.concat([encodeFrame(msgs[2]!), encodeFrame(msgs[3]!)]);
    for (let i = 0; i < split.length; i += 7) {
      client.write(split.subarray(i, i + 7));
      if (i % 70 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const acks = [];
    for (let i = 0; i < 4; i++) acks.push(readAck((await client.next())!));
    expect(acks.map((a) => `${a.ackCode}:${a.controlId}`)).toEqual(['AA:JOIN1', 'AA:JOIN2', 'AA:JOIN3', 'AA:JOIN4']);
    expect(await applied()).toBe(before + 4);
    expect(logs.some((l) => /bytes outside any frame/.test(l))).toBe(true);
  });

  it('the error queue replays a corrected message and refuses a second replay', async () => {
    const { queue } = hl7v2Of(t.platform, applier);
    const admin = { permissions: { can: () => true } } as never;
    const actor = { userId: null, username: 'clerk', sourceIp: null, channel: 'api' as const };
    const list = await queue.list(admin, actor, { status: 'open', errorCode: 'HL7_REQUIRED_FIELD_MISSING' });
    expect(list.total).toBe(1);
    const entry = await queue.get(admin, actor, list.items[0]!.id);
    expect(entry.raw).toContain('ORANGE');
    const failed = await queue.replay(admin, actor, entry.id);
    expect(failed.result.ackCode).toBe('AE');
    expect(failed.error).toMatchObject({ status: 'open', attempts: 1 });
    const fixed = entry.raw.replace('PID|1|||', 'PID|1||FIXED1^^^MRENTR^MEDREC|');
    const before = await applied();
    const ok = await queue.replay(admin, actor, entry.id, fixed, 'added the MRN');
    expect(ok.result.ackCode).toBe('AA');
    expect(ok.error).toMatchObject({ status: 'replayed', resolvedBy: 'clerk', resolutionNote: 'added the MRN' });
    expect(await applied()).toBe(before + 1);
    await expect(queue.replay(admin, actor, entry.id)).rejects.toMatchObject({ code: 'HL7_ERROR_RESOLVED' });
    const d = await queue.dismiss(admin, actor, (await queue.list(admin, actor, { status: 'open' })).items[0]!.id, 'test junk');
    expect(d.status).toBe('dismissed');
  });
});

describe('ordering', () => {
  it('serialises one patient across connections, and lets other patients run side by side', async () => {
    const second = await MllpClient.connect(mllp.port);
    applier.delayMs = 300;
    try {
      const msg = (mrn: string, ctl: string) => read('uclh-emap/generic/A08_v1.hl7').replace(/^PID\|([^|]*)\|([^|]*)\|[^|^]*/m, `PID|$1|$2|${mrn}`).replace(/^(MSH(\|[^|]*){8})\|[^|]*/, `$1|${ctl}`);
      const t0 = Date.now();
      const same = await Promise.all([client.send(msg('ORD1', 'ORD-A')), second.send(msg('ORD1', 'ORD-B'))]);
      const sameMs = Date.now() - t0;
      const t1 = Date.now();
      const other = await Promise.all([client.send(msg('ORD2', 'ORD-C')), second.send(msg('ORD3', 'ORD-D'))]);
      const otherMs = Date.now() - t1;
      expect([...same, ...other].map((a) => readAck(a!).ackCode)).toEqual(['AA', 'AA', 'AA', 'AA']);
      const rows = await t.sql("select patient_key, at from test_adt_applied where patient_key like '%|ORD1' order by at");
      expect(rows.rows).toHaveLength(2);
      // The second transaction for ORD1 began its work only after the first committed.
      expect(rows.rows[1].at.getTime() - rows.rows[0].at.getTime()).toBeGreaterThanOrEqual(290);
      expect(sameMs).toBeGreaterThanOrEqual(600);
      expect(otherMs).toBeLessThan(sameMs);
      // The same message on two connections at once (a sender that failed over): applied once, both answered AA.
      const before = await applied();
      const twins = await Promise.all([client.send(msg('ORD4', 'ORD-E')), second.send(msg('ORD4', 'ORD-E'))]);
      expect(twins.map((a) => readAck(a!).ackCode)).toEqual(['AA', 'AA']);
      expect(await applied()).toBe(before + 1);
      const rows2 = await t.sql("select status from hl7v2_message where control_id = 'ORD-E' order by id");
      expect(rows2.rows.map((r) => r.status)).toEqual(['applied', 'duplicate']);
    } finally {
      applier.delayMs = 0;
      second.close();
    }
  });
});

describe('start-up', () => {
  it('a busy port is MLLP_PORT_IN_USE', async () => {
    const err = await startMllp(t.platform, { handler: applier, port: mllp.port }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('MLLP_PORT_IN_USE');
  });
});

describe('TLS', () => {
  it('speaks MLLP over TLS when a certificate and key are configured; an unreadable pair is MLLP_TLS_INVALID', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mllp-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const withTls = (c: string, k: string) => ({ ...t.platform, config: { ...t.platform.config, mllp: { ...t.platform.config.mllp, tlsCert: c, tlsKey: k } } });
    const secure = await startMllp(withTls(cert, key), { handler: applier, port: 0, log: () => undefined });
    try {
      expect(secure.tls).toBe(true);
      const socket = tls.connect({ port: secure.port, host: '127.0.0.1', ca: fs.readFileSync(cert), servername: 'localhost' });
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', () => resolve()).once('error', reject));
      const decoder = new MllpDecoder();
      const ack = new Promise<string>((resolve) => socket.on('data', (b: Buffer) => {
        const f = decoder.push(b).find((e) => e.kind === 'frame');
        if (f && f.kind === 'frame') resolve(f.payload.toString('utf8'));
      }));
      socket.write(encodeFrame(read('uclh-emap/generic/A08_v1.hl7')));
      expect(readAck(await ack).ackCode).toBe('AA');
      socket.destroy();
    } finally {
      await secure.stop();
    }
    const bad = await startMllp(withTls(cert, path.join(dir, 'missing.pem')), { handler: applier, port: 0 }).catch((e: unknown) => e);
    expect(isAppError(bad) && bad.code).toBe('MLLP_TLS_INVALID');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('with CHARTROOM_MLLP_TLS_CA, only a sender with a certificate that CA signed gets in; its messages are audited under the certificate\'s name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mllp-mtls-'));
    const f = (n: string) => path.join(dir, n);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=Test Interface CA');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.pem'), '-days', '1', '-subj', '/CN=localhost');
    fs.writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
    const client = (name: string, signer: string) => {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
      ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${signer}.pem`), '-CAkey', f(`${signer}.key`), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '1', '-extfile', f('client.ext'));
    };
    client('lab-engine', 'ca');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('stranger.key'), '-out', f('stranger.pem'), '-days', '1', '-subj', '/CN=stranger');
    const platform = { ...t.platform, config: { ...t.platform.config, mllp: { ...t.platform.config.mllp, tlsCert: f('server.pem'), tlsKey: f('server.key'), tlsCa: f('ca.pem') } } };
    const secure = await startMllp(platform, { handler: applier, port: 0, log: () => undefined });
    const stored = async () => Number((await t.sql('select count(*)::int as n from hl7v2_message')).rows[0].n);
    /** Sends one message; resolves with the ACK, or null when the listener closed the connection without one. */
    const send = (certName: string | null, text: string) => new Promise<string | null>((resolve) => {
      const socket = tls.connect({
        port: secure.port, host: '127.0.0.1', ca: fs.readFileSync(f('server.pem')), servername: 'localhost',
        ...(certName ? { cert: fs.readFileSync(f(`${certName}.pem`)), key: fs.readFileSync(f(`${certName}.key`)) } : {}),
      });
      const decoder = new MllpDecoder();
      socket.on('secureConnect', () => socket.write(encodeFrame(text)));
      socket.on('data', (b: Buffer) => {
        const fr = decoder.push(b).find((e) => e.kind === 'frame');
        if (fr && fr.kind === 'frame') {
          resolve(fr.payload.toString('utf8'));
          socket.destroy();
        }
      });
      socket.on('error', () => resolve(null));
      socket.on('close', () => resolve(null));
    });
    try {
      expect(secure.clientCertificates).toBe(true);
      const [msh, ...rest] = read('uclh-emap/generic/A08_v1.hl7').split('\r');
      const message = [msh!.split('|').map((x, i) => (i === 9 ? 'MTLS-1' : x)).join('|'), ...rest].join('\r'); // a control ID of its own
      const before = await stored();
      expect(await send(null, message)).toBeNull();
      expect(await send('stranger', message)).toBeNull();
      expect(await stored()).toBe(before);
      const ack = await send('lab-engine', message);
      expect(ack && readAck(ack).ackCode).toBe('AA');
      const audited = await t.sql(`select count(*)::int as n from audit_event where username = 'mllp:CN=lab-engine' and resource_type = 'Hl7Message' and channel = 'mllp'`);
      expect(audited.rows[0].n).toBe(1);
    } finally {
      await secure.stop();
    }
    // A CA without the listener's own certificate and key is refused at start-up.
    const half = { ...t.platform, config: { ...t.platform.config, mllp: { ...t.platform.config.mllp, tlsCert: null, tlsKey: null, tlsCa: f('ca.pem') } } };
    const err = await startMllp(half, { handler: applier, port: 0 }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('MLLP_TLS_INVALID');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
