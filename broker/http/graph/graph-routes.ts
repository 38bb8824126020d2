import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ActionRequest, WipeOptions } from '../../../sim/eligibility.ts';
import type { Initiator, IntuneService, ServiceError } from '../../service/service.ts';
import type { ActionRecord } from '../../service/types.ts';
import type { AdminIdentity } from '../auth.ts';
import { parseBody } from '../validate.ts';
import {
  cleanBody,
  cleanupSettingsBody,
  emptyBody,
  executeActionBody,
  WIPE_BETA,
  WIPE_V1,
} from './bodies.ts';
import { runBulkAction } from './bulk-action.ts';
import { GraphError } from './errors.ts';
import { FILTERABLE, type GraphVersion, graphDate, ORDERABLE, toGraphDevice } from './managed-device.ts';
import { graphProperties, matches, ODataError, parseFilter } from './odata-filter.ts';
import { auditRecord } from './remote-action-audit.ts';

/** A page holds at most this many devices; `$top` may ask for fewer. */
export const PAGE_SIZE_MAX = 1000;

function wipeOptions(version: GraphVersion, body: unknown): WipeOptions {
  if (version === 'v1.0') return parseBody(WIPE_V1, body, 'microsoft.graph.wipe');
  const { obliterationBehavior: _ignored, ...options } = parseBody(WIPE_BETA, body, 'microsoft.graph.wipe');
  return options;
}

/** Maps a refusal to Graph's error: 404 for an unknown device, 400 naming the rule otherwise. */
function refusalError(error: ServiceError): GraphError {
  if (error.code === 'notFound') return GraphError.notFound(error.message);
  const rule = error.specId ? `; rule ${error.specId}` : '';
  return GraphError.badRequest(`${error.message} (reason: ${error.code}${rule})`);
}

function skipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}
function readSkipToken(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw GraphError.badRequest(`The $skiptoken '${token}' is not valid.`);
  return Number(m[1]);
}

type Query = Record<string, string | undefined>;

export function registerGraphRoutes(
  app: FastifyInstance,
  version: GraphVersion,
  deps: { service: IntuneService; admin: AdminIdentity; now: () => number; baseUrl: () => string },
): void {
  const { service, admin } = deps;
  const base = `/${version}/deviceManagement`;
  // From the server's own address (or --public-url), never from the client's Host header.
  const context = (suffix: string) => `${deps.baseUrl()}/${version}/$metadata#${suffix}`;
  const by: Initiator = { userPrincipalName: admin.userPrincipalName, source: 'admin' };
  const existing = (id: string) => {
    const record = service.getDevice(id);
    if (!record) throw GraphError.notFound(`Resource not found: no managedDevice with id '${id}'.`);
    return record;
  };
  const project = (id: string) => {
    const record = existing(id);
    return toGraphDevice(record, service.actionsOf(record), version, service.certificateExpiresAt(record));
  };
  const act = (id: string, request: ActionRequest) => {
    const result = service.requestAction(id, request, by);
    if (!result.ok) throw refusalError(result.error);
  };

  app.get<{ Querystring: Query }>(`${base}/managedDevices`, async (req) => {
    const q = req.query;
    const unknown = Object.keys(q).find(
      (k) =>
        k.startsWith('$') && !['$filter', '$top', '$skiptoken', '$orderby', '$select', '$count'].includes(k),
    );
    if (unknown) throw GraphError.badRequest(`Query option '${unknown}' is not supported on managedDevices.`);
    let devices = service
      .listDevices()
      .map((r) => toGraphDevice(r, service.actionsOf(r), version, service.certificateExpiresAt(r)));
    if (q.$filter !== undefined) {
      try {
        const filter = parseFilter(q.$filter, FILTERABLE[version]);
        devices = devices.filter((d) => matches(filter, d));
      } catch (e) {
        if (e instanceof ODataError) throw GraphError.badRequest(`Invalid filter clause: ${e.message}`);
        throw e;
      }
    }
    if (q.$orderby !== undefined) {
      const m = /^(\w+)(?:\s+(asc|desc))?$/.exec(q.$orderby.trim());
      if (!m || !ORDERABLE.has(m[1]!)) {
        throw GraphError.badRequest(
          `$orderby supports ${[...ORDERABLE].join(' and ')} (asc or desc), got '${q.$orderby}'.`,
        );
      }
      const key = m[1]!;
      const sign = m[2] === 'desc' ? -1 : 1;
      devices.sort((a, b) => sign * String(a[key]).localeCompare(String(b[key])));
    }
    const total = devices.length;
    let top = PAGE_SIZE_MAX;
    if (q.$top !== undefined) {
      top = Number(q.$top);
      if (!Number.isInteger(top) || top < 1 || top > PAGE_SIZE_MAX) {
        throw GraphError.badRequest(
          `$top must be a whole number from 1 to ${PAGE_SIZE_MAX}, got '${q.$top}'.`,
        );
      }
    }
    const offset = q.$skiptoken !== undefined ? readSkipToken(q.$skiptoken) : 0;
    let page = devices.slice(offset, offset + top);
    let selected = '';
    if (q.$select !== undefined) {
      const fields = selectFields(q.$select, page[0] ?? toGraphDeviceShape(service, version));
      page = page.map((d) => Object.fromEntries(fields.map((f) => [f, d[f]])));
      selected = `(${fields.join(',')})`;
    }
    if (q.$count !== undefined && q.$count !== 'true' && q.$count !== 'false') {
      throw GraphError.badRequest(`$count must be true or false, got '${q.$count}'.`);
    }
    // Intune answers @odata.count whether or not $count=true was asked for.
    const body: Record<string, unknown> = {
      '@odata.context': context(`deviceManagement/managedDevices${selected}`),
      '@odata.count': total,
    };
    if (offset + top < total) {
      const next = new URLSearchParams({
        ...(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >),
        $skiptoken: skipToken(offset + top),
      });
      body['@odata.nextLink'] = `${deps.baseUrl()}${base}/managedDevices?${next.toString()}`;
    }
    body.value = page;
    return body;
  });

  app.get<{ Params: { id: string }; Querystring: { $select?: string } }>(
    `${base}/managedDevices/:id`,
    async (req) => {
      const device = project(req.params.id);
      const unknown = Object.keys(req.query).find((k) => k.startsWith('$') && k !== '$select');
      if (unknown)
        throw GraphError.badRequest(`Query option '${unknown}' is not supported on a managedDevice.`);
      if (req.query.$select === undefined)
        return { '@odata.context': context('deviceManagement/managedDevices/$entity'), ...device };
      // Graph's $select on one entity: only those properties, and a context naming them.
      const fields = selectFields(req.query.$select, device);
      return {
        '@odata.context': context(`deviceManagement/managedDevices(${fields.join(',')})/$entity`),
        ...Object.fromEntries(fields.map((f) => [f, device[f]])),
      };
    },
  );

  app.delete<{ Params: { id: string } }>(`${base}/managedDevices/:id`, async (req, reply) => {
    const result = service.deleteDevice(req.params.id, by);
    if (!result.ok) throw refusalError(result.error);
    reply.code(204);
  });

  app.post<{ Params: { id: string } }>(`${base}/managedDevices/:id/wipe`, async (req, reply) => {
    existing(req.params.id);
    act(req.params.id, { action: 'wipe', options: wipeOptions(version, req.body) });
    reply.code(204);
  });
  app.post<{ Params: { id: string } }>(`${base}/managedDevices/:id/retire`, async (req, reply) => {
    existing(req.params.id); // every action: 404 for an unknown device before the body is read
    parseBody(emptyBody, req.body, 'microsoft.graph.retire');
    act(req.params.id, { action: 'retire' });
    reply.code(204);
  });
  app.post<{ Params: { id: string } }>(
    `${base}/managedDevices/:id/cleanWindowsDevice`,
    async (req, reply) => {
      existing(req.params.id);
      const { keepUserData } = parseBody(cleanBody, req.body, 'microsoft.graph.cleanWindowsDevice');
      act(req.params.id, { action: 'freshStart', keepUserData });
      reply.code(204);
    },
  );
  app.post<{ Params: { id: string } }>(`${base}/managedDevices/:id/syncDevice`, async (req, reply) => {
    existing(req.params.id);
    parseBody(emptyBody, req.body, 'microsoft.graph.syncDevice');
    act(req.params.id, { action: 'sync' });
    reply.code(204);
  });

  if (version !== 'beta') return;

  app.post(`${base}/managedDevices/executeAction`, async (req) => {
    const body = parseBody(executeActionBody, req.body, 'microsoft.graph.executeAction');
    const bulkId = service.newId(); // from the durable id sequence: never one handed out before
    const result = await runBulkAction(service, body.deviceIds, bulkRequest(body), { ...by, bulkId });
    return { '@odata.context': context('microsoft.graph.bulkManagedDeviceActionResult'), ...result };
  });

  app.get<{ Querystring: Query }>(`${base}/remoteActionAudits`, async (req) => {
    // Syncs are not remote actions in Graph's remoteAction enum, so they leave no audit record.
    const audits = [...service.actions.values()]
      .filter((a: ActionRecord) => a.kind !== 'sync')
      .map((a: ActionRecord) => auditRecord(a, service.devices.get(a.deviceId)));
    let value = audits;
    if (req.query.$filter !== undefined) {
      try {
        const filter = parseFilter(
          req.query.$filter,
          graphProperties([
            'managedDeviceId',
            'action',
            'actionState',
            'initiatedByUserPrincipalName',
            'requestDateTime',
            'deviceDisplayName',
          ]),
        );
        value = audits.filter((a) => matches(filter, a));
      } catch (e) {
        if (e instanceof ODataError) throw GraphError.badRequest(`Invalid filter clause: ${e.message}`);
        throw e;
      }
    }
    return { '@odata.context': context('deviceManagement/remoteActionAudits'), value };
  });

  app.get(`${base}/managedDeviceCleanupSettings`, async () => ({
    '@odata.context': context('deviceManagement/managedDeviceCleanupSettings'),
    '@odata.type': '#microsoft.graph.managedDeviceCleanupSettings',
    deviceInactivityBeforeRetirementInDays: String(service.cleanupDays),
  }));
  app.patch(`${base}/managedDeviceCleanupSettings`, async (req, reply) => {
    const { deviceInactivityBeforeRetirementInDays: given } = parseBody(
      cleanupSettingsBody,
      req.body,
      'microsoft.graph.managedDeviceCleanupSettings',
    );
    const text = String(given);
    const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    const result = service.setCleanupDays(days);
    if (!result.ok) {
      throw GraphError.badRequest(
        `Invalid value for property 'deviceInactivityBeforeRetirementInDays': must be '0' (off) or a whole number of days from 30 to 270, got '${text}' (rule D-2).`,
      );
    }
    reply.code(204);
  });
}

/** What one device of a bulk action gets, or null for an action fleetsim does not model. */
function bulkRequest(body: z.infer<typeof executeActionBody>): ActionRequest | null {
  switch (body.actionName) {
    case 'wipe': {
      const options: { keepEnrollmentData?: boolean; keepUserData?: boolean; persistEsimDataPlan?: boolean } =
        {};
      if (body.keepEnrollmentData !== undefined) options.keepEnrollmentData = body.keepEnrollmentData;
      if (body.keepUserData !== undefined) options.keepUserData = body.keepUserData;
      if (body.persistEsimDataPlan !== undefined) options.persistEsimDataPlan = body.persistEsimDataPlan;
      return { action: 'wipe', options };
    }
    case 'retire':
      return { action: 'retire' };
    case 'delete':
      return { action: 'delete' };
    case 'syncDevice':
      return { action: 'sync' };
    default:
      return null;
  }
}

/** The properties `$select` names, each checked against a managedDevice's (Graph's 400 otherwise). */
function selectFields(select: string, shape: Record<string, unknown>): string[] {
  const fields = select.split(',').map((f) => f.trim());
  const bad = fields.find((f) => !Object.hasOwn(shape, f));
  if (bad)
    throw GraphError.badRequest(
      `Could not find a property named '${bad}' on type 'microsoft.graph.managedDevice'.`,
    );
  return fields;
}

/** The property names a managedDevice has on this version (for `$select` on an empty list). */
function toGraphDeviceShape(service: IntuneService, version: GraphVersion): Record<string, unknown> {
  const any = [...service.devices.values()][0];
  if (any) return toGraphDevice(any, [], version, 0);
  return {
    id: '',
    deviceName: '',
    operatingSystem: '',
    osVersion: '',
    serialNumber: '',
    userPrincipalName: '',
    lastSyncDateTime: graphDate(null),
  };
}
