#!/usr/bin/env node
// Microsoft's own Graph client library (@microsoft/microsoft-graph-client), unchanged, pointed at
// fleetsim. The library sends the bearer token only over https and only to Graph or to hosts named
// in customHosts, so run fleetsim with --tls and trust its certificate:
//
//   NODE_EXTRA_CA_CERTS=.fleetsim/fleetsim-cert.pem GRAPH_BASE=https://127.0.0.1:8080 \
//     GRAPH_TOKEN=<token> node examples/graph-sdk-client.mjs
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';

const base = process.env.GRAPH_BASE ?? 'https://graph.microsoft.com';
const client = Client.init({
  baseUrl: base,
  customHosts: new Set([new URL(base).hostname]),
  authProvider: (done) => done(null, process.env.GRAPH_TOKEN),
});

const report = { windows: [], wiped: [], refused: [], audit: [] };
const first = await client
  .api('/deviceManagement/managedDevices')
  .version('beta')
  .filter("operatingSystem eq 'Windows'")
  .select(['id', 'deviceName', 'osVersion', 'managementState'])
  .top(2)
  .get();
const iterator = new PageIterator(client, first, (d) => {
  report.windows.push(d.deviceName);
  return true;
});
await iterator.iterate();

for (const name of report.windows) {
  const [d] = (
    await client
      .api('/deviceManagement/managedDevices')
      .version('beta')
      .filter(`deviceName eq '${name}'`)
      .get()
  ).value;
  try {
    await client
      .api(`/deviceManagement/managedDevices/${d.id}/wipe`)
      .version('beta')
      .post({ keepUserData: true });
    report.wiped.push(name);
  } catch (e) {
    report.refused.push({ name, statusCode: e.statusCode, code: e.code, message: e.message });
  }
}
for (const a of (await client.api('/deviceManagement/remoteActionAudits').version('beta').get()).value) {
  report.audit.push(`${a.initiatedByUserPrincipalName} ${a.action} ${a.actionState}`);
}
console.log(JSON.stringify(report));
