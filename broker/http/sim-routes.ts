import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../sim/duration.ts';
import type { EventLog, FleetEvent } from '../../sim/events.ts';
import type { BrokerStats } from '../mqtt/broker.ts';
import type { IntuneService } from '../service/service.ts';
import { GraphError } from './graph/errors.ts';
import type { SimControl } from './sim-control.ts';
import { SIM_BODIES, type SimAnswer } from './sim-schemas.ts';
import { parseBody } from './validate.ts';

/** The simulation control API under /sim: clock, fleet, devices, faults, directory, events. */

const bodies = SIM_BODIES;

/** Filters for the event endpoints: a device (managed id or serial), kinds, a sim time range. */
export function eventFilter(
  query: Record<string, string | undefined>,
  simNow: number,
): (e: FleetEvent) => boolean {
  const types = query.type ? new Set(query.type.split(',')) : null;
  const device = query.deviceId ?? query.serialNumber;
  const time = (name: 'from' | 'to') => {
    const text = query[name];
    if (text === undefined) return null;
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
      throw GraphError.badRequest(`Query parameter '${name}' must be an ISO 8601 date-time, got '${text}'.`);
    return ms;
  };
  const from = time('from');
  const to = time('to') ?? simNow;
  return (e) => {
    if (types && !types.has(e.type)) return false;
    if (from !== null && e.atMs < from) return false;
    if (e.atMs > to) return false;
    if (device) {
      const r = e as { deviceId?: unknown; serialNumber?: unknown };
      if (r.deviceId !== device && r.serialNumber !== device) return false;
    }
    return true;
  };
}

export function registerSimRoutes(
  app: FastifyInstance,
  deps: { control: SimControl; service: IntuneService; log: EventLog; brokerStats?: () => BrokerStats },
): void {
  const { control, service, log } = deps;
  const clock = (): SimAnswer<'clock'> => {
    const c = control.clockInfo();
    return { mode: c.mode, now: new Date(c.nowMs).toISOString(), nowMs: c.nowMs, speed: c.speed };
  };
  const device = (key: string) => {
    const d = control.device(key);
    if (!d)
      throw GraphError.notFound(
        `No simulated device with serial number or id '${key}' in this process's fleet. Devices run by a separate \`fleetsim agents\` process are not visible here (their managedDevice records are, under /beta/deviceManagement/managedDevices); GET /sim/fleet/devices lists this fleet.`,
      );
    return d;
  };

  app.get('/sim/clock', async () => clock());
  app.post('/sim/clock/advance', async (req) => {
    const { by } = parseBody(bodies.advance, req.body, 'sim.clockAdvance');
    let ms: number;
    try {
      ms = parseDuration(by);
    } catch (e) {
      throw GraphError.badRequest(`Invalid value for property 'by': ${(e as Error).message}.`);
    }
    await control.advance(ms);
    return clock();
  });
  app.put('/sim/clock/speed', async (req) => {
    control.setSpeed(parseBody(bodies.speed, req.body, 'sim.clockSpeed').speed);
    return clock();
  });

  app.post('/sim/fleet/enroll', async (req, reply): Promise<SimAnswer<'enrolled'>> => {
    const body = parseBody(bodies.enroll, req.body, 'sim.enroll');
    const devices = await control.enroll(body.cohorts, body.seed);
    reply.code(201);
    return {
      devices: devices.map((d) => ({
        serialNumber: d.serialNumber,
        managedDeviceId: d.managedDeviceId,
        platform: d.identity.platform,
        cohort: d.cohort,
      })),
    };
  });
  app.get(
    '/sim/fleet/devices',
    async (): Promise<SimAnswer<'fleet'>> => ({
      devices: control.devices().map((d) => ({
        serialNumber: d.serialNumber,
        managedDeviceId: d.managedDeviceId,
        cohort: d.cohort,
        platform: d.identity.platform,
        enrollmentType: d.identity.enrollmentType,
        power: d.state.power,
        network: d.state.network,
        boot: d.state.boot,
        enrolled: d.state.management.enrolled,
        online: d.online,
        resetInProgress: d.state.nvram.resetJob !== null,
      })),
    }),
  );
  app.get<{ Params: { key: string } }>('/sim/devices/:key', async (req) => device(req.params.key));
  app.post<{ Params: { key: string } }>('/sim/devices/:key/power', async (req) => {
    device(req.params.key);
    return control.power(req.params.key, parseBody(bodies.power, req.body, 'sim.power').on);
  });
  app.post<{ Params: { key: string } }>('/sim/devices/:key/network', async (req) => {
    device(req.params.key);
    return control.network(req.params.key, parseBody(bodies.network, req.body, 'sim.network').online);
  });
  app.post<{ Params: { key: string } }>('/sim/devices/:key/faults', async (req) => {
    device(req.params.key);
    return control.fault(req.params.key, parseBody(bodies.fault, req.body, 'sim.fault'));
  });
  app.put<{ Params: { channel: string } }>('/sim/push/:channel', async (req): Promise<SimAnswer<'push'>> => {
    const channel = req.params.channel;
    if (channel !== 'APNs' && channel !== 'WNS' && channel !== 'FCM')
      throw GraphError.notFound(`No push channel '${channel}': APNs, WNS or FCM.`);
    control.pushChannel(channel, parseBody(bodies.push, req.body, 'sim.pushChannel').up);
    return { channelsDown: service.push.channelsDown };
  });
  app.get('/sim/push', async (): Promise<SimAnswer<'push'>> => ({ channelsDown: service.push.channelsDown }));

  app.post('/sim/directory/users', async (req, reply): Promise<SimAnswer<'user'>> => {
    const body = parseBody(bodies.user, req.body, 'sim.user');
    reply.code(201);
    return service.directory.createUser(body.userPrincipalName, body.displayName);
  });
  app.delete<{ Params: { upn: string } }>('/sim/directory/users/:upn', async (req, reply) => {
    if (!service.directory.deleteUser(req.params.upn))
      throw GraphError.notFound(`No user '${req.params.upn}'.`);
    reply.code(204);
  });
  app.delete<{ Params: { id: string } }>('/sim/directory/devices/:id', async (req, reply) => {
    if (!service.directory.deleteAzureAdDevice(req.params.id))
      throw GraphError.notFound(`No Azure AD device record '${req.params.id}'.`);
    reply.code(204);
  });
  app.put<{ Params: { serial: string } }>('/sim/abm/:serial', async (req): Promise<SimAnswer<'abm'>> => {
    const { assigned } = parseBody(bodies.abm, req.body, 'sim.abmAssignment');
    service.directory.setAbmAssignment(req.params.serial, assigned);
    return { serialNumber: req.params.serial, assigned };
  });
  app.post('/sim/company-portal', async (req, reply): Promise<SimAnswer<'companyPortal'>> => {
    const body = parseBody(bodies.companyPortal, req.body, 'sim.companyPortalAction');
    const result = control.companyPortal(body.managedDeviceId, body.userPrincipalName, body.action);
    if (!result.ok) {
      if (result.error.code === 'notFound') throw GraphError.notFound(result.error.message);
      throw new GraphError(
        400,
        'BadRequest',
        `${result.error.message} (${result.error.code}${result.error.specId ? `, ${result.error.specId}` : ''})`,
      );
    }
    reply.code(202);
    return { actionId: result.value.id, initiatedBy: result.value.initiatedBy };
  });

  app.get(
    '/sim/stats',
    async (): Promise<SimAnswer<'stats'>> => ({
      events: log.stats(),
      mqtt: deps.brokerStats?.() ?? null,
    }),
  );
  app.get<{ Querystring: Record<string, string | undefined> }>('/sim/events', async (req, reply) => {
    const keep = eventFilter(req.query, control.clockInfo().nowMs);
    reply.type('application/x-ndjson');
    return log
      .select(keep)
      .map((e) => `${JSON.stringify(e)}\n`)
      .join('');
  });
}
