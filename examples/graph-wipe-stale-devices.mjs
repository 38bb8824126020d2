#!/usr/bin/env node
// A Graph script as an Intune admin writes it: plain fetch on Microsoft Graph's paths. Pointed at
// fleetsim by its base URL and token, it runs unchanged.
//
//   GRAPH_BASE=http://127.0.0.1:8080 GRAPH_TOKEN=<token> node examples/graph-wipe-stale-devices.mjs
//
// It lists the Windows devices page by page, wipes (keeping user data) those not synced for a week,
// retires the personal iPhones, and prints who started what from the audit log.
const base = process.env.GRAPH_BASE ?? 'https://graph.microsoft.com';
const token = process.env.GRAPH_TOKEN;
const staleDays = Number(process.env.STALE_DAYS ?? 7);
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

async function graph(method, url, body) {
  const res = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
    method,
    headers,
    body: body && JSON.stringify(body),
  });
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    throw new Error(`${method} ${url}: ${res.status} ${err.error?.code}: ${err.error?.message}`);
  }
  return res.status === 204 ? null : res.json();
}

async function* pages(url) {
  for (let next = url; next; ) {
    const page = await graph('GET', next);
    yield* page.value;
    next = page['@odata.nextLink'];
  }
}

const now = Date.parse(process.env.NOW ?? new Date().toISOString());
const cutoff = new Date(now - staleDays * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const filter = encodeURIComponent(`operatingSystem eq 'Windows' and lastSyncDateTime lt ${cutoff}`);
const report = { wiped: [], retired: [], refused: [] };
for await (const d of pages(
  `/v1.0/deviceManagement/managedDevices?$filter=${filter}&$top=50&$select=id,deviceName,osVersion`,
)) {
  try {
    await graph('POST', `/v1.0/deviceManagement/managedDevices/${d.id}/wipe`, { keepUserData: true });
    report.wiped.push(d.deviceName);
  } catch (e) {
    report.refused.push(`${d.deviceName}: ${e.message}`);
  }
}
const iphones = encodeURIComponent("operatingSystem eq 'iOS' and managedDeviceOwnerType eq 'personal'");
for await (const d of pages(`/v1.0/deviceManagement/managedDevices?$filter=${iphones}`)) {
  await graph('POST', `/v1.0/deviceManagement/managedDevices/${d.id}/retire`);
  report.retired.push(d.deviceName);
}
const audits = await graph('GET', '/beta/deviceManagement/remoteActionAudits');
report.audit = audits.value.map(
  (a) => `${a.initiatedByUserPrincipalName} ${a.action} ${a.deviceDisplayName} (${a.actionState})`,
);
console.log(JSON.stringify(report, null, 2));
