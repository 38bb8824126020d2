import { type Socket, connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONNECT_BYTES_MAX,
  PACKET_BYTES_MAX,
  SENT_AT_SKEW_MIN_MS,
  sentAtSkewMaxMs,
} from '../../broker/mqtt/broker.ts';
import { MESSAGES_WAITING_MAX } from '../../broker/mqtt/service-link.ts';
import type { Serving } from '../../cli/serve.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/time-units.ts';
import { deviceUpTopic } from '../../sim/wire/topics.ts';
import { startServingOnFreePorts } from '../helpers/free-ports.ts';
import { checkInPayload, publishOutcome, takeOverDevice } from '../helpers/intruder.ts';

/**
 * Issue 9, the MQTT side: a packet is judged by the length in its header before its body is read
 * (CONNECT before authentication, everything after it), and a message stamped further ahead of the
 * service clock than the allowed skew is refused and counted rather than held until its time.
 */
let serving: Serving;
beforeAll(async () => {
  serving = await startServingOnFreePorts({ fleet: { cohorts: [{ platform: 'androidKnox', count: 3 }] } });
});
afterAll(() => serving.stop());

const stats = () => serving.emulator.server.broker.stats;
const mqttPort = () => Number(new URL(serving.emulator.server.mqttUrl!).port);

/** MQTT's remaining-length varint. */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** Opens a raw TCP connection; resolves once connected. */
function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(mqttPort(), '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves with how many bytes we had written when the server closed the connection. */
function closedAfter(socket: Socket, written: () => number): Promise<number> {
  return new Promise((resolve) => {
    socket.on('error', () => {});
    socket.once('close', () => resolve(written()));
  });
}

describe('packet size', () => {
  it('a CONNECT announcing 128 MB is cut off at its header, before authentication, and counted', async () => {
    const before = { ...stats() };
    const socket = await rawSocket();
    let written = 0;
    const closed = closedAfter(socket, () => written);
    const header = Buffer.concat([Buffer.from([0x10]), varint(128 * 1024 * 1024)]);
    socket.write(header);
    written += header.length;
    // Keep sending the body in 64 KiB pieces until the server hangs up (it should at once).
    const piece = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 2048 && !socket.destroyed; i++) {
      const ok = socket.write(piece);
      written += piece.length;
      if (!ok) await new Promise((r) => socket.once('drain', r).once('close', r));
    }
    const sentWhenClosed = await closed;
    // The server closed long before the 128 MB were sent: with the guard it reads no body at all.
    expect(sentWhenClosed).toBeLessThan(16 * 1024 * 1024);
    expect(stats().oversizeCut).toBe(before.oversizeCut + 1);
    expect(stats().authRefused).toBe(before.authRefused); // never got as far as authentication
    const event = serving.emulator.log.ofType('wire.rejected').at(-1)!;
    expect(event.reason).toBe(
      `packet of ${128 * 1024 * 1024} bytes before authentication is over the ${CONNECT_BYTES_MAX}-byte limit: connection closed`,
    );
  });

  it('a CONNECT one byte over the limit is cut off; one at the limit reaches authentication', async () => {
    for (const [length, cut] of [
      [CONNECT_BYTES_MAX + 1, true],
      [CONNECT_BYTES_MAX, false],
    ] as const) {
      const before = { ...stats() };
      const socket = await rawSocket();
      const closed = closedAfter(socket, () => 0);
      // A CONNECT whose body is padding: at the limit, aedes parses it and refuses it itself.
      socket.write(Buffer.concat([Buffer.from([0x10]), varint(length), Buffer.alloc(length, 0)]));
      await closed;
      expect(stats().oversizeCut, `${length} bytes`).toBe(before.oversizeCut + (cut ? 1 : 0));
    }
  });

  it("after authentication, a device's packet past the wire schemas' limit is cut off and counted", async () => {
    const { channelId, connect } = await takeOverDevice(serving, 0);
    const client = await connect();
    const before = { ...stats() };
    const outcome = await publishOutcome(
      client,
      deviceUpTopic(channelId),
      Buffer.alloc(PACKET_BYTES_MAX, 0x20),
    );
    expect(outcome).toBe('dropped');
    expect(stats().oversizeCut).toBe(before.oversizeCut + 1);
    const event = serving.emulator.log.ofType('wire.rejected').at(-1)!;
    expect(event.clientId).toBe(channelId);
    expect(event.reason).toMatch(new RegExp(`is over the ${PACKET_BYTES_MAX}-byte limit`));
    await client.endAsync(true);
  });

  it('a malformed remaining length (five bytes) is cut off', async () => {
    const before = { ...stats() };
    const socket = await rawSocket();
    const closed = closedAfter(socket, () => 0);
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]));
    await closed;
    expect(stats().oversizeCut).toBe(before.oversizeCut + 1);
  });
});

describe('send times', () => {
  it('the skew bound is 5 s of wall time at the scaled clock speed, at least one sim minute', () => {
    expect(sentAtSkewMaxMs(null)).toBe(MINUTE_MS);
    expect(sentAtSkewMaxMs(1)).toBe(MINUTE_MS);
    expect(sentAtSkewMaxMs(60)).toBe(5 * MINUTE_MS);
    expect(sentAtSkewMaxMs(600)).toBe(50 * MINUTE_MS);
  });

  it('a message stamped beyond the allowed skew is refused and counted; one within it is taken', async () => {
    const { channelId, connect } = await takeOverDevice(serving, 1);
    const now = serving.emulator.clock.now();
    const before = { ...stats() };
    const checkIns = () => serving.emulator.log.ofType('device.checkIn').length;
    const checkInsBefore = checkIns();

    for (const ahead of [365 * 24 * HOUR_MS, SENT_AT_SKEW_MIN_MS + 1]) {
      const client = await connect();
      expect(await publishOutcome(client, deviceUpTopic(channelId), checkInPayload(now + ahead))).toBe(
        'dropped',
      );
      const event = serving.emulator.log.ofType('wire.rejected').at(-1)!;
      expect(event.reason).toMatch(/^sent in the future: .* ms ahead of the service clock/);
    }
    expect(stats().futureRejected).toBe(before.futureRejected + 2);
    expect(stats().publishRejected).toBe(before.publishRejected + 2);

    const client = await connect();
    expect(
      await publishOutcome(client, deviceUpTopic(channelId), checkInPayload(now + MINUTE_MS / 2, 1)),
    ).toBe('accepted');
    await client.endAsync();
    // Handled once its time comes; the refused ones never are, however far the clock moves.
    await serving.emulator.advance(SENT_AT_SKEW_MIN_MS + 2 * MINUTE_MS);
    expect(checkIns() - checkInsBefore).toBeGreaterThanOrEqual(1);
    const fromIntruder = serving.emulator.log
      .ofType('device.checkIn')
      .slice(checkInsBefore)
      .filter((e) => e.reason === 'schedule' && e.atMs <= now + 2 * MINUTE_MS);
    expect(fromIntruder).toHaveLength(1);
  });
});

describe('messages waiting to be handled', () => {
  it(`one device's flood within the allowed skew is held to ${MESSAGES_WAITING_MAX} waiting messages; the rest are refused and counted`, async () => {
    const { channelId, connect } = await takeOverDevice(serving, 2);
    const now = serving.emulator.clock.now();
    const rejectedBefore = serving.emulator.server.link.rejected;
    const client = await connect();
    const flood = MESSAGES_WAITING_MAX + 44;
    const outcomes = await Promise.all(
      Array.from({ length: flood }, (_, i) =>
        publishOutcome(client, deviceUpTopic(channelId), checkInPayload(now + MINUTE_MS / 2, 100 + i)),
      ),
    );
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(flood); // the broker took them all
    await client.endAsync();
    expect(serving.emulator.server.link.rejected - rejectedBefore).toBe(flood - MESSAGES_WAITING_MAX);
    const refusal = serving.emulator.log.ofType('wire.rejected').at(-1)!;
    expect(refusal.reason).toMatch(
      new RegExp(`more than ${MESSAGES_WAITING_MAX} messages from ${channelId}`),
    );
    const deviceId = serving.emulator.service.channels.get(channelId)!.deviceId;
    const checkIns = () =>
      serving.emulator.log
        .ofType('device.checkIn')
        .filter((e) => e.deviceId === deviceId && e.atMs <= now + MINUTE_MS).length;
    const before = checkIns();
    await serving.emulator.advance(2 * MINUTE_MS);
    expect(checkIns() - before).toBe(MESSAGES_WAITING_MAX);
  });
});
