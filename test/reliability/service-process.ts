/**
 * A service in a process of its own for the fault tests: starts fleetsim's server on a scaled
 * clock and takes admin requests as JSON lines on stdin (the Graph-shaped HTTP API is issue 4),
 * printing every event as a JSON line on stdout. Killed with SIGKILL and started again on the same
 * database, it must carry on where it stopped.
 */
import { createInterface } from 'node:readline';
import { startServer } from '../../broker/server.ts';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';

const [db, port, speed] = process.argv.slice(2);
const clock = ScaledClock.startingAt(Date.UTC(2026, 0, 5, 9), Number(speed));
const server = await startServer({ clock, seed: 'faults', db: db!, mqttPort: Number(port) });
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
server.log.on(out);
out({ type: 'ready', mqttUrl: server.mqttUrl, enrollmentToken: server.enrollmentToken });

createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line) as {
    op: 'action';
    serialNumber: string;
    request: Parameters<typeof server.service.requestAction>[1];
  };
  const device = server.service.listDevices().find((d) => d.identity.serialNumber === request.serialNumber);
  const result = device
    ? server.service.requestAction(device.id, request.request, {
        userPrincipalName: 'admin@contoso.com',
        source: 'admin',
      })
    : ({ ok: false, error: { code: 'notFound' } } as const);
  out({
    type: 'reply',
    serialNumber: request.serialNumber,
    result: result.ok ? { ok: true, actionId: result.value?.id ?? null } : result,
  });
});
