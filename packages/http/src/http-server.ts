import type { SchemaRegistry } from '@pdx/contracts';
import { describeError, type Logger } from '@pdx/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  answerClientError,
  answerServerLevelRequests,
  defaultMaxHeaderBytes,
  missingHost,
} from './client-errors.js';
import { problem, sendProblem, toProblem } from './problem.js';

/** A dependency whose reachability decides readiness (the event log, the database). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HttpServerOptions {
  logger: Logger;
  registry: SchemaRegistry;
  readiness: readonly ReadinessCheck[];
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  readinessTimeoutMs?: number;
  /** Retry-After (seconds) of a 503 answer: the event log or the database is unavailable. Default 5. */
  retryAfterSeconds?: number;
}

/**
 * A fastify instance with what every pdx HTTP surface shares: route schemas compiled by the
 * one strict ajv of the contracts (so `$ref: 'urn:pdx:schema:…'` works), RFC 9457 errors
 * from a single handler, `/healthz` and `/readyz`. Not listening yet: `main` does that.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Path parameters carry ids of up to 129 characters (`<buyer>~<partner>`).
    routerOptions: { maxParamLength: 300 },
    // Errors raised before routing (a malformed URL, a bad header) are problems too.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(reply, toProblem(error, request));
    },
    // So are those of Node's HTTP parser (bad request line, headers over the limit, framing)…
    clientErrorHandler: answerClientError(options.logger, defaultMaxHeaderBytes),
    // …and a missing Host, which Node would answer with an empty 400 (checked in onRequest).
    http: { requireHostHeader: false },
    ajv: { customOptions: { strict: true } },
  });

  // pdx speaks JSON only: any other body is a 415, not a string that fails a schema.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema }) => options.registry.compile(schema));
  // Responses are typed views built field by field; JSON.stringify keeps the 2020-12
  // schemas usable as response documentation without a second schema dialect.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, pointer: body.pointer }, 'request refused');
    // RFC 9110 §10.2.3: when to try again. A retried change is safe (the first is kept).
    if (body.status === 503) reply.header('retry-after', String(options.retryAfterSeconds ?? 5));
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('PDX_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`, { instance: request.url }),
    ),
  );

  answerServerLevelRequests(app.server);
  app.addHook('onRequest', async (request, reply) => {
    const refused = missingHost(request.raw);
    if (refused) return sendProblem(reply, refused);
  });

  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const timeout = options.readinessTimeoutMs ?? 2_000;
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error(`no answer in ${timeout} ms`)), timeout).unref(),
            ),
          ]);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, describeError(error)] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
  return app;
}
