/**
 * Every route of the HTTP API by method, so an unknown method on a known path answers 405 and an
 * unknown path 404, as Graph does. Patterns use `{…}` for one path segment.
 */
export const GRAPH_ROUTES: readonly { method: string; path: string; betaOnly?: true }[] = [
  { method: 'GET', path: '/deviceManagement/managedDevices' },
  { method: 'GET', path: '/deviceManagement/managedDevices/{id}' },
  { method: 'DELETE', path: '/deviceManagement/managedDevices/{id}' },
  { method: 'POST', path: '/deviceManagement/managedDevices/{id}/wipe' },
  { method: 'POST', path: '/deviceManagement/managedDevices/{id}/retire' },
  { method: 'POST', path: '/deviceManagement/managedDevices/{id}/cleanWindowsDevice' },
  { method: 'POST', path: '/deviceManagement/managedDevices/{id}/syncDevice' },
  { method: 'POST', path: '/deviceManagement/managedDevices/executeAction', betaOnly: true },
  { method: 'GET', path: '/deviceManagement/remoteActionAudits', betaOnly: true },
  { method: 'GET', path: '/deviceManagement/managedDeviceCleanupSettings', betaOnly: true },
  { method: 'PATCH', path: '/deviceManagement/managedDeviceCleanupSettings', betaOnly: true },
];

export const SIM_ROUTES: readonly { method: string; path: string }[] = [
  { method: 'GET', path: '/sim/clock' },
  { method: 'POST', path: '/sim/clock/advance' },
  { method: 'PUT', path: '/sim/clock/speed' },
  { method: 'POST', path: '/sim/fleet/enroll' },
  { method: 'GET', path: '/sim/fleet/devices' },
  { method: 'GET', path: '/sim/devices/{key}' },
  { method: 'POST', path: '/sim/devices/{key}/power' },
  { method: 'POST', path: '/sim/devices/{key}/network' },
  { method: 'POST', path: '/sim/devices/{key}/faults' },
  { method: 'GET', path: '/sim/push' },
  { method: 'PUT', path: '/sim/push/{channel}' },
  { method: 'POST', path: '/sim/directory/users' },
  { method: 'DELETE', path: '/sim/directory/users/{upn}' },
  { method: 'DELETE', path: '/sim/directory/devices/{id}' },
  { method: 'PUT', path: '/sim/abm/{serial}' },
  { method: 'POST', path: '/sim/company-portal' },
  { method: 'GET', path: '/sim/events' },
  { method: 'GET', path: '/sim/stats' },
  { method: 'GET', path: '/sim/scenarios' },
  { method: 'POST', path: '/sim/scenarios/runs' },
  { method: 'GET', path: '/sim/scenarios/runs/{id}' },
];

function toRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

const ALL = [
  ...['/v1.0', '/beta'].flatMap((v) =>
    GRAPH_ROUTES.filter((r) => v === '/beta' || !r.betaOnly).map((r) => ({
      method: r.method,
      re: toRegex(`${v}${r.path}`),
    })),
  ),
  ...SIM_ROUTES.map((r) => ({ method: r.method, re: toRegex(r.path) })),
];

/** The methods a path allows; empty for a path the API does not have. */
export function allowedMethods(path: string): string[] {
  return ALL.filter((r) => r.re.test(path)).map((r) => r.method);
}
