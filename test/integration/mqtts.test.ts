import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECT_BYTES_MAX } from '../../broker/mqtt/broker.ts';
import { type Serving, startServing } from '../../cli/serve.ts';
import { deviceUpTopic } from '../../sim/wire/topics.ts';
import { onFreePorts, randomPort } from '../helpers/free-ports.ts';
import { checkInPayload, publishOutcome, takeOverDevice } from '../helpers/intruder.ts';
import { JsonProcess } from '../helpers/processes.ts';

/**
 * MQTT over TLS (mqtts) for devices on other machines, with the same self-signed certificate as
 * `--tls`; the same limits apply behind TLS. Agents in another process trust the certificate
 * through NODE_EXTRA_CA_CERTS.
 */
let serving: Serving | null = null;
let dir: string | null = null;
let agents: JsonProcess | null = null;
afterEach(async () => {
  if (agents && agents.child.exitCode === null) await agents.kill9();
  agents = null;
  await serving?.stop();
  serving = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function start(clock: 'virtual' | 'scaled') {
  dir = mkdtempSync(join(tmpdir(), 'fleetsim-mqtts-'));
  const dataDir = dir;
  serving = await onFreePorts((port, mqttPort) =>
    startServing({
      port,
      mqttPort,
      mqttsPort: randomPort(),
      host: '127.0.0.1',
      clock,
      speed: 600,
      seed: 'mqtts',
      db: ':memory:',
      dataDir,
      adminUpn: 'admin@contoso.onmicrosoft.com',
      tls: true,
      // Embedded devices on the virtual clock only: the scaled test counts the agents' devices.
      ...(clock === 'virtual' ? { fleet: { cohorts: [{ platform: 'ios' as const, count: 2 }] } } : {}),
    }),
  );
  return { s: serving, ca: readFileSync(join(dataDir, 'fleetsim-cert.pem'), 'utf8') };
}

describe('mqtts', () => {
  it("a device connects over TLS trusting the service's certificate, and is refused without it", async () => {
    const { s, ca } = await start('virtual');
    expect(s.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const { channelId } = await takeOverDevice(s, 0);
    const agent = s.emulator.runner.all()[0]!;
    const options = {
      clientId: channelId,
      username: channelId,
      password: agent.credentials!.token,
      protocolVersion: 4 as const,
      reconnectPeriod: 0,
    };
    await expect(connectAsync(s.mqttsUrl!, options)).rejects.toThrow(/self.signed|certificate/i);
    const client = await connectAsync(s.mqttsUrl!, { ...options, ca });
    expect(
      await publishOutcome(client, deviceUpTopic(channelId), checkInPayload(s.emulator.clock.now())),
    ).toBe('accepted');
    await client.endAsync();
  });

  it('an oversized CONNECT behind TLS is cut off at its header too', async () => {
    const { s, ca } = await start('virtual');
    const before = s.emulator.server.broker.stats.oversizeCut;
    const url = new URL(s.mqttsUrl!);
    await new Promise<void>((resolve) => {
      const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca }, () => {
        // CONNECT announcing 128 MB: remaining length 0x80 0x80 0x80 0x40.
        socket.write(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x40, 0, 4]));
      });
      socket.on('error', () => {});
      socket.once('close', () => resolve());
    });
    expect(s.emulator.server.broker.stats.oversizeCut).toBe(before + 1);
    expect(s.emulator.log.ofType('wire.rejected').at(-1)!.reason).toContain(
      `before authentication is over the ${CONNECT_BYTES_MAX}-byte limit`,
    );
  });

  it('fleetsim agents in another process enrolls its fleet over mqtts', async () => {
    const { s } = await start('scaled');
    expect(s.emulator.service.listDevices()).toHaveLength(0);
    agents = new JsonProcess(
      spawn(
        process.execPath,
        [
          'bin/fleetsim.js',
          'agents',
          ...['--broker', s.mqttsUrl!, '--enrollment-token', s.emulator.server.enrollmentToken],
          ...['--fleet', 'small', '--db', join(dir!, 'agents.db'), '--event-log', '-'],
        ],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir!, 'fleetsim-cert.pem') },
        },
      ),
    );
    // The agents print their events (--event-log -): each line re-checks the service's inventory.
    await agents.waitFor(
      () => s.emulator.service.listDevices().length >= 12,
      'the 12 devices of the small fleet to enroll over mqtts',
    );
    expect(s.emulator.service.listDevices()).toHaveLength(12);
  }, 60_000);
});
