import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import replyFrom from '@fastify/reply-from';
import { PdxError, SchemaRegistry } from '@pdx/contracts';
import { createHttpServer, createMetricsServer, problem, registerConsole, sendProblem } from '@pdx/http';
import {
  createMetricsRegistry,
  type Env,
  type Logger,
  type MetricsRegistry,
  PeriodicTask,
} from '@pdx/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endToEndHeaders, upstreamRequestHeaders } from './forwarding-headers.js';
import { type GatewayConfig, readGatewayConfig } from './gateway-config.js';
import { httpJwksFetcher, type JwksFetcher, MergedJwks } from './jwks-merge.js';
import { proxiedPrefixes, type UpstreamService, upstreamOf, upstreamServices } from './upstream-routes.js';

export interface GatewayOptions {
  env: Env;
  logger: Logger;
  /** The OpenAPI document served at /openapi.json (default: the committed schemas/api/openapi.json). */
  openApiFile?: string | URL;
  /** How upstream JWKS are fetched (default: over HTTP, within the gateway timeout). */
  jwksFetcher?: JwksFetcher;
  /** The web console's build served at `/` (default: services/console/dist). */
  consoleDir?: string;
}

/** An assembled, unstarted gateway; `main` starts it. */
export interface Gateway {
  config: GatewayConfig;
  http: FastifyInstance;
  jwks: MergedJwks;
  /** The gateway's own metrics (requests by route and status, process), at /metrics. */
  metrics: MetricsRegistry;
  start(): Promise<{ url: string; metricsUrl?: string }>;
  stop(): Promise<void>;
}

const defaultOpenApiFile = new URL('../../../schemas/api/openapi.json', import.meta.url);
const defaultConsoleDir = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/** The alert stream (Server-Sent Events): open for as long as the client listens. */
const streamRoute = '/v1/alerts/stream';

/**
 * The one entry point: each path goes to the service that owns it (upstream-routes.ts), the
 * request and the answer pass as bytes in both directions (a JWS, JSON, an event stream; no
 * parsing, no re-serialising, no buffering), only end-to-end headers cross, and a service
 * that cannot be reached or does not answer in time is a 502 or 504 problem. The gateway
 * authenticates no one: Authorization reaches the service untouched. Its own routes are the
 * merged JWKS, the OpenAPI document, /healthz and /readyz (the services' readiness).
 */
export function createGateway(options: GatewayOptions): Gateway {
  const config = readGatewayConfig(options.env);
  const { logger } = options;
  const registry = new SchemaRegistry();
  const timeoutMs = config.timeoutMs;

  const jwks = new MergedJwks(
    upstreamServices.map((name) => ({ name, url: `${config.upstreams[name]}/.well-known/jwks.json` })),
    options.jwksFetcher ?? httpJwksFetcher(registry, Math.min(timeoutMs, 10_000)),
    logger,
  );
  const refresher = new PeriodicTask('JWKS refresh', () => jwks.refresh(), config.jwksRefreshMs, logger);

  const metrics = createMetricsRegistry();
  const metricsServer =
    config.metricsPort === undefined ? undefined : createMetricsServer({ registry: metrics, logger });
  const http = createHttpServer({
    logger,
    registry,
    metrics: { registry: metrics, serve: metricsServer === undefined },
    bodyLimit: config.bodyLimit,
    readiness: upstreamServices.map((name) => ({
      name,
      check: () => upstreamReady(config.upstreams[name]),
    })),
  });

  // Bodies are passed on as they arrive, whatever their type: the service that owns the
  // route parses and judges them (and answers 415 for a type it does not take).
  const overflowed = new WeakSet<FastifyRequest>();
  http.removeAllContentTypeParsers();
  http.addContentTypeParser('*', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > config.bodyLimit) return done(bodyTooLarge(config.bodyLimit));
    // A body without a length (chunked) is counted as it passes.
    let seen = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        seen += chunk.length;
        if (seen <= config.bodyLimit) return next(null, chunk);
        overflowed.add(request);
        next(bodyTooLarge(config.bodyLimit));
      },
    });
    payload.on('error', (error) => counted.destroy(error));
    done(null, payload.pipe(counted));
  });

  const openApi = readOpenApi(options.openApiFile ?? defaultOpenApiFile, logger);
  const streams = new Set<ServerResponse>();

  const proxy = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    checkPath(path);
    const service = upstreamOf(request.method, path);
    if (!service) {
      return sendProblem(
        reply,
        problem('PDX_ROUTE_NOT_FOUND', `no route ${request.method} ${path}`, { instance: path }),
      );
    }
    if (path === streamRoute) {
      streams.add(reply.raw);
      reply.raw.once('close', () => streams.delete(reply.raw));
    }
    return reply.from(`${config.upstreams[service]}${request.url}`, {
      rewriteRequestHeaders: (req, headers) =>
        upstreamRequestHeaders(headers, {
          remoteAddress: req.socket.remoteAddress,
          protocol: req.protocol,
          host: req.headers.host,
        }),
      rewriteHeaders: (headers) => endToEndHeaders(headers),
      // A request is sent once: a retried POST could be recorded twice, and a 503 with
      // Retry-After is the service's answer to the client, not to the gateway.
      retryDelay: () => null,
      onError: (failed, { error }) => {
        const answer = overflowed.has(request)
          ? problem('PDX_PAYLOAD_TOO_LARGE', bodyTooLarge(config.bodyLimit).message, { instance: path })
          : upstreamProblem(error, service, timeoutMs, path);
        if (answer.status >= 500) {
          request.log.warn({ upstream: service, err: error }, 'upstream request failed');
        }
        void sendProblem(failed as FastifyReply, answer);
      },
    });
  };

  const replyFromOptions = {
    disableRequestLogging: true,
    destroyAgent: true,
    undici: {
      connections: 128,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 10_000) },
    },
  };
  void http.register(async (scope) => {
    await scope.register(replyFrom, replyFromOptions);
    const config = { bodyLimitSetting: 'PDX_GATEWAY_BODY_LIMIT' };
    for (const prefix of proxiedPrefixes) {
      scope.all(prefix, { config }, proxy);
      scope.all(`${prefix}/*`, { config }, proxy);
    }
  });
  // The alert stream stays open while no alert comes (keep-alive comments every few seconds):
  // no limit on the time between two parts of its body. Its own client pool, so that the
  // other requests keep theirs.
  void http.register(async (scope) => {
    await scope.register(replyFrom, {
      ...replyFromOptions,
      undici: { ...replyFromOptions.undici, bodyTimeout: 0 },
    });
    scope.get(streamRoute, proxy);
  });

  http.get('/.well-known/jwks.json', async (_request, reply) => {
    let keys = jwks.keys();
    if (!keys) {
      await jwks.refresh();
      keys = jwks.keys();
    }
    if (!keys) {
      return sendProblem(
        reply,
        problem('PDX_UPSTREAM_UNAVAILABLE', 'no service could be asked for its keys yet; retry later', {
          instance: '/.well-known/jwks.json',
        }),
      );
    }
    return reply.header('cache-control', 'public, max-age=300').send({ keys });
  });

  // The reference page (GET /docs, served by intake) loads its document from /docs/json: the
  // gateway answers that with the whole API's document, not intake's own routes.
  const serveOpenApi = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!openApi) {
      return sendProblem(
        reply,
        problem('PDX_ROUTE_NOT_FOUND', 'this gateway was built without the OpenAPI document', {
          instance: '/openapi.json',
        }),
      );
    }
    // The committed bytes as they are.
    return reply.type('application/json').header('cache-control', 'public, max-age=300').send(openApi);
  };
  http.get('/openapi.json', serveOpenApi);
  http.get('/docs/json', serveOpenApi);
  // The web console: the same files the standalone process serves, from this process.
  registerConsole(http, { root: options.consoleDir ?? defaultConsoleDir, logger });

  let stopped = false;
  return {
    config,
    http,
    jwks,
    metrics,
    async start() {
      const url = await http.listen({ port: config.port, host: config.host });
      logger.info({ url, upstreams: config.upstreams }, 'pdx-gateway listening');
      let metricsUrl: string | undefined;
      if (metricsServer) {
        metricsUrl = await metricsServer.listen({ port: config.metricsPort, host: config.host });
        logger.info({ url: `${metricsUrl}/metrics` }, 'metrics listening');
      }
      refresher.start();
      return metricsUrl === undefined ? { url } : { url, metricsUrl };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await refresher.stop();
      // An event stream never ends by itself: the clients reconnect (Last-Event-ID) elsewhere.
      const closing = http.close();
      for (const stream of streams) stream.destroy();
      await closing;
      await metricsServer?.close();
    },
  };
}

function bodyTooLarge(limit: number): PdxError {
  return new PdxError(
    'PDX_PAYLOAD_TOO_LARGE',
    `the request body is larger than the limit of ${limit} bytes set by PDX_GATEWAY_BODY_LIMIT`,
  );
}

/**
 * A path the gateway would not pass on as it is: a malformed percent-encoding, or a dot
 * segment (`/v1/alerts/../parties`), which one service could resolve into another's path.
 */
function checkPath(path: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new PdxError('PDX_URL_INVALID', 'the path has a malformed percent-encoding');
  }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new PdxError('PDX_URL_INVALID', 'the path has a dot segment (. or ..)');
  }
}

// reply-from's errors (and undici's) that mean "no answer in time".
const timeoutCodes = new Set([
  'FST_REPLY_FROM_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_HTTP_REQUEST_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

function upstreamProblem(error: unknown, service: UpstreamService, timeoutMs: number, path: string) {
  const codes = causeCodes(error);
  if (codes.some((c) => timeoutCodes.has(c))) {
    return problem('PDX_UPSTREAM_TIMEOUT', `the ${service} service did not answer within ${timeoutMs} ms`, {
      instance: path,
    });
  }
  const why = codes.find((c) => /^E[A-Z]+$/.test(c) || c.startsWith('UND_ERR_'));
  return problem(
    'PDX_UPSTREAM_UNAVAILABLE',
    `the ${service} service cannot be reached${why ? ` (${why})` : ''}; retry later`,
    { instance: path },
  );
}

/** The codes along an error's cause chain (reply-from wraps undici's, which wraps the socket's). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') codes.push(e.code);
    e = e.cause as typeof e;
  }
  return codes;
}

/** Readiness of one service: its own /readyz, which says what it waits for. */
async function upstreamReady(origin: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000), redirect: 'error' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`cannot be reached${cause ? ` (${cause})` : ''}`);
  }
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const body = (await res.json().catch(() => undefined)) as { checks?: Record<string, string> } | undefined;
  const failing = Object.entries(body?.checks ?? {}).filter(([, v]) => v !== 'ok');
  throw new Error(
    `not ready (${res.status})${failing.length > 0 ? `: ${failing.map(([k, v]) => `${k}: ${v}`).join('; ')}` : ''}`,
  );
}

function readOpenApi(file: string | URL, logger: Logger): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    logger.warn({ file: String(file), err: error }, 'no OpenAPI document: /openapi.json answers 404');
    return undefined;
  }
}
