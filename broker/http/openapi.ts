import { GRAPH_ROUTES, SIM_ROUTES } from './graph/route-table.ts';
import { OPERATION_SCHEMAS } from './openapi-schemas.ts';

/** Summaries for the OpenAPI document, by "METHOD path". */
const SUMMARIES: Record<string, string> = {
  'GET /deviceManagement/managedDevices':
    'List managed devices ($filter, $orderby, $top, $skiptoken, $select, $count)',
  'GET /deviceManagement/managedDevices/{id}': 'Get a managed device',
  'DELETE /deviceManagement/managedDevices/{id}':
    'Delete a managed device (D-1): off the list at once, company data removed at its next check-in',
  'POST /deviceManagement/managedDevices/{id}/wipe':
    'Wipe (factory reset); body: keepEnrollmentData, keepUserData, macOsUnlockCode, persistEsimDataPlan, useProtectedWipe (beta)',
  'POST /deviceManagement/managedDevices/{id}/retire': 'Retire (remove company data)',
  'POST /deviceManagement/managedDevices/{id}/cleanWindowsDevice':
    'Fresh Start (Windows 10 1709+); body: keepUserData',
  'POST /deviceManagement/managedDevices/{id}/syncDevice': 'Sync: the device checks in at once',
  'POST /deviceManagement/managedDevices/executeAction':
    'Bulk action (beta): actionName, deviceIds and options → bulkManagedDeviceActionResult',
  'GET /deviceManagement/remoteActionAudits': 'Who started which action (beta)',
  'GET /deviceManagement/managedDeviceCleanupSettings': 'Device cleanup rule (beta)',
  'PATCH /deviceManagement/managedDeviceCleanupSettings':
    'Set the device cleanup rule (beta): deviceInactivityBeforeRetirementInDays "0" or "30"–"270"',
  'GET /sim/clock': 'Clock: mode, sim now, speed',
  'POST /sim/clock/advance': 'Virtual clock: advance by a duration ({"by": "15m"}); returns once quiet',
  'PUT /sim/clock/speed': 'Scaled clock: set the speed ({"speed": 60})',
  'POST /sim/fleet/enroll': 'Create devices from cohorts; they enroll over the wire',
  'GET /sim/fleet/devices': 'The simulated devices, one line each',
  'GET /sim/devices/{key}': "A device's full modeled state (by serial number or managedDevice id)",
  'POST /sim/devices/{key}/power': 'Power on or off ({"on": false})',
  'POST /sim/devices/{key}/network': 'Network on or off ({"online": false})',
  'POST /sim/devices/{key}/faults':
    'Faults: conditions (corruptedInstallation, bitLockerResetFails, rollbackFails), bitLocker, recoveryEnvironmentHealthy',
  'GET /sim/push': 'Push channels that are down',
  'PUT /sim/push/{channel}': 'Take a push channel (APNs, WNS, FCM) down or up ({"up": false})',
  'POST /sim/directory/users': 'Create an Azure AD user',
  'DELETE /sim/directory/users/{upn}': 'Delete an Azure AD user (D-6)',
  'DELETE /sim/directory/devices/{id}': 'Delete an Azure AD device record (D-5)',
  'PUT /sim/abm/{serial}': 'Apple Business Manager: assign or unassign a serial number (D-7)',
  'POST /sim/company-portal': 'A Company Portal self-service action by a user on their own device (S-5)',
  'GET /sim/events': 'The event log as JSON lines (?from, to, deviceId, type)',
  'GET /sim/stats':
    'Bounds and refusals: events held and dropped from memory, MQTT connections and rejected packets',
  'GET /sim/scenarios': 'The scenario library: each file with its name, description, tags and spec IDs',
  'POST /sim/scenarios/runs':
    'Run a library scenario in its own emulator on its own virtual clock (this fleet is not touched); one run at a time',
  'GET /sim/scenarios/runs/{id}':
    'A run so far: steps done, verdicts given, the final verdict (?after=N waits up to 10 s for update N+1)',
};

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'innerError'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        innerError: {
          type: 'object',
          properties: {
            date: { type: 'string' },
            'request-id': { type: 'string' },
            'client-request-id': { type: 'string' },
          },
        },
      },
    },
  },
};

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/GraphError' } } },
});

function operation(method: string, path: string, tag: string, version: string | null) {
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const key = `${method} ${path}`;
  const schemas = OPERATION_SCHEMAS[`${version} ${key}`] ?? OPERATION_SCHEMAS[key] ?? {};
  const answer = schemas.answer ?? { status: 200, schema: { type: 'object' } };
  const success =
    answer.schema === undefined
      ? { description: 'No Content' }
      : {
          description: 'OK',
          content: { [answer.mediaType ?? 'application/json']: { schema: answer.schema } },
        };
  const takesBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  return {
    tags: [tag],
    summary: SUMMARIES[key] ?? '',
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(takesBody
      ? {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: schemas.body ?? { type: 'object' } } },
          },
        }
      : {}),
    responses: {
      [String(answer.status)]: success,
      '400': errorAnswer('Malformed body, or an action the rules refuse'),
      '401': errorAnswer('No valid bearer token'),
      '404': errorAnswer('Unknown or deleted resource'),
    },
  };
}

/** The OpenAPI 3.1 document for both APIs, served at /openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (method: string, path: string, tag: string, version: string | null) => {
    const full = version === null ? path : `/${version}${path}`;
    paths[full] ??= {};
    paths[full][method.toLowerCase()] = operation(method, path, tag, version);
  };
  for (const version of ['v1.0', 'beta'])
    for (const r of GRAPH_ROUTES) {
      if (version === 'v1.0' && r.betaOnly) continue;
      add(r.method, r.path, `Graph ${version}`, version);
    }
  for (const r of SIM_ROUTES) add(r.method, r.path, 'Simulation control', null);
  return {
    openapi: '3.1.0',
    info: {
      title: 'fleetsim',
      version: '0.1.0',
      description:
        'Microsoft Graph-shaped Intune API (device actions) and the simulation control API. WebSocket event stream: GET /sim/events/stream (?deviceId, type; token in the Authorization header or ?access_token).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { GraphError: errorSchema },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
