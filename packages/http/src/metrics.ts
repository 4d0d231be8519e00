import { histogram, type Logger, type MetricsRegistry } from '@pdx/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

/** The route label of a request that matched no route: one label, whatever the URL was. */
export const UNMATCHED_ROUTE = 'unmatched';

type Child = ReturnType<ReturnType<typeof histogram<'method' | 'route' | 'status_code'>>['labels']>;

/**
 * Times every request into `http_request_duration_seconds`, labelled by method, route
 * pattern (`/v1/parties/:partyId`, never the raw URL, so the label set stays bounded by the
 * routes; a request no route matched counts as `unmatched`) and status code. Add it to the
 * root instance (hooks added there apply to every route, also those registered later).
 */
export function instrumentHttp(app: FastifyInstance, registry: MetricsRegistry): void {
  const duration = histogram(registry, {
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
  });
  const children = new Map<string, Child>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = duration.labels(request.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
  });
}

/**
 * `GET /metrics`: the registry as Prometheus text (exposition format 0.0.4). Public in the
 * sense of the authentication plugin (a scraper has no token): keep it off the public
 * interface with PDX_METRICS_PORT (see createMetricsServer) or by not routing it.
 */
export function serveMetrics(app: FastifyInstance, registry: MetricsRegistry): void {
  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text);
  });
}

export interface MetricsServerOptions {
  registry: MetricsRegistry;
  logger: Logger;
}

/**
 * A listener that serves only `GET /metrics` (anything else is a problem+json 404), for a
 * port apart from the API's: the scraper reaches it, the public does not.
 */
export function createMetricsServer(options: MetricsServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'metrics' }) as FastifyBaseLogger,
    disableRequestLogging: true,
    forceCloseConnections: true,
  });
  serveMetrics(app, options.registry);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('PDX_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`, { instance: request.url }),
    ),
  );
  return app;
}
