import type { Server } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { LIBRARY_DIR } from '../../scenarios/library.ts';
import type { EventLog } from '../../sim/events.ts';
import type { FleetMetrics } from '../metrics/fleet-metrics.ts';
import { registerMetricsRoute } from '../metrics/metrics-route.ts';
import type { BrokerStats } from '../mqtt/broker.ts';
import type { IntuneService } from '../service/service.ts';
import { type AdminIdentity, checkBearer, isPublicRoute } from './auth.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { attachEventStream } from './event-stream.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { errorBody, GraphError } from './graph/errors.ts';
import { registerGraphRoutes } from './graph/graph-routes.ts';
import { allowedMethods } from './graph/route-table.ts';
import { checkJsonDepth, checkQueryOptionsOnce } from './limits.ts';
import { openApiDocument } from './openapi.ts';
import { registerScenarioRoutes } from './scenario-routes.ts';
import type { SimControl } from './sim-control.ts';
import { registerSimRoutes } from './sim-routes.ts';
import type { TlsMaterial } from './tls.ts';

export interface HttpApiOptions {
  service: IntuneService;
  control: SimControl;
  log: EventLog;
  admin: AdminIdentity;
  /** Sim time, for Graph's innerError.date and `$filter` on times. */
  now: () => number;
  tls: TlsMaterial | null;
  /**
   * The base URL clients reach this server at (`--public-url`), for `@odata.nextLink` and
   * `@odata.context`; by default the address the server listens on. Never the request's Host header.
   */
  publicUrl?: string;
  /** The MQTT broker's counters, for GET /sim/stats. */
  brokerStats?: () => BrokerStats;
  /** The scenario files the dashboard may run; default the library that ships with fleetsim. */
  scenarioDir?: string;
  /** Prometheus metrics, served at GET /metrics (with the bearer token) when given. */
  metrics?: FleetMetrics;
}

/** `/a/./b/../c` → `/a/c` (the URL standard's rules, `%2e` included); the query string is kept. */
export function resolveDotSegments(target: string): string {
  if (!/(^|\/)(\.|%2e){1,2}(\/|$|\?)/i.test(target)) return target;
  try {
    const url = new URL(target, 'http://localhost');
    return `${url.pathname}${url.search}`;
  } catch {
    return target;
  }
}

/** Request bodies larger than this are refused (a bulk action on thousands of ids fits easily). */
const BODY_BYTES_MAX = 4 * 1024 * 1024;

/**
 * The HTTP side of the service: the Graph-shaped API under /v1.0 and /beta, the simulation control
 * API under /sim (with its WebSocket event stream), and the OpenAPI document at /openapi.json.
 * Every error has Graph's shape.
 */
export function createHttpApi(options: HttpApiOptions): FastifyInstance {
  const dateIso = () => new Date(options.now()).toISOString();
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_BYTES_MAX,
    // Graph's paths are case-insensitive; a doubled or trailing slash and dot segments name the same
    // resource: every spelling of a path reaches the route the plain one does (and its auth).
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    rewriteUrl: (req) => resolveDotSegments(req.url ?? '/'),
    frameworkErrors: frameworkErrors(options.admin, dateIso),
    clientErrorHandler: clientErrorHandler(dateIso),
    ...(options.tls ? { https: { key: options.tls.key, cert: options.tls.cert } } : {}),
  }) as unknown as FastifyInstance;

  const send = (
    reply: { code: (n: number) => { send: (b: unknown) => unknown } },
    error: GraphError,
    clientRequestId?: string,
  ) => reply.code(error.status).send(errorBody(error, dateIso(), clientRequestId));

  // Decided on the route the router matched (after it decoded the path), so an encoded or
  // otherwise disguised path gets what the plain one gets; unmatched paths need the token too.
  app.addHook('onRequest', async (req) => {
    if (!isPublicRoute(req.method, req.routeOptions.url))
      checkBearer(req.headers.authorization, options.admin);
    checkQueryOptionsOnce(req.query);
  });

  app.setErrorHandler((error: FastifyError | GraphError | Error, req, reply) => {
    const clientRequestId = req.headers['client-request-id'] as string | undefined;
    if (error instanceof GraphError) return send(reply, error, clientRequestId);
    const status = (error as FastifyError).statusCode;
    if (error.name === 'EmulatorError') {
      const s = (error as Error & { status: number }).status;
      return send(
        reply,
        new GraphError(s, s === 404 ? 'ResourceNotFound' : 'BadRequest', error.message),
        clientRequestId,
      );
    }
    if (status === 413)
      return send(
        reply,
        new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.'),
        clientRequestId,
      );
    if (status && status >= 400 && status < 500) {
      return send(reply, GraphError.badRequest(`Invalid request body: ${error.message}`), clientRequestId);
    }
    return send(
      reply,
      new GraphError(500, 'InternalServerError', `Unexpected error: ${error.message}`),
      clientRequestId,
    );
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = allowedMethods(path);
    const clientRequestId = req.headers['client-request-id'] as string | undefined;
    if (allowed.length > 0) {
      reply.header('Allow', allowed.join(', '));
      return send(reply, GraphError.methodNotAllowed(req.method, path), clientRequestId);
    }
    const segment = path.split('/').filter(Boolean).at(-1) ?? '';
    return send(
      reply,
      GraphError.notFound(`Resource not found for the segment '${segment}'.`),
      clientRequestId,
    );
  });

  // An empty body is an empty object: retire and syncDevice are often posted with none.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      checkJsonDepth(text);
    } catch (e) {
      return done(e as GraphError, undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(GraphError.badRequest(`The request body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });

  const baseUrl = () => options.publicUrl?.replace(/\/+$/, '') ?? ownBaseUrl(app, options.tls !== null);
  for (const version of ['v1.0', 'beta'] as const) registerGraphRoutes(app, version, { ...options, baseUrl });
  registerSimRoutes(app, options);
  registerScenarioRoutes(app, { scenarioDir: options.scenarioDir ?? LIBRARY_DIR });
  app.get('/openapi.json', async () => openApiDocument());
  registerDashboardRoutes(app, options);
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  app.addHook('onReady', async () => {
    attachEventStream(app.server as Server, options.log, options.admin, options.now);
  });
  return app;
}

/** `http(s)://address:port` the server listens on (loopback for a wildcard address). */
function ownBaseUrl(app: FastifyInstance, tls: boolean): string {
  const address = app.server.address();
  if (!address || typeof address !== 'object') return tls ? 'https://localhost' : 'http://localhost';
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}
