import type { FastifyInstance } from 'fastify';
import type { FleetMetrics } from './fleet-metrics.ts';

/**
 * GET /metrics in Prometheus's text format. Not in PUBLIC_ROUTES: it needs the admin bearer token
 * like every data route (it tells fleet size and traffic); Prometheus sends it with
 * `authorization: { credentials_file: … }` in the scrape config (README, Metrics).
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: FleetMetrics): void {
  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await metrics.scrape();
    reply.type(contentType);
    return body;
  });
}
