import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedEventBus, type EventBus, KafkaEventBus } from '@pdx/bus';
import { SchemaRegistry } from '@pdx/contracts';
import {
  type AccessTokenVerifier,
  accessTokenVerifier,
  authPlugin,
  createHttpServer,
  createMetricsServer,
  PUBLIC,
  registerConsole,
} from '@pdx/http';
import {
  type Clock,
  ConfigReader,
  createMetricsRegistry,
  type Env,
  type Logger,
  type MetricsRegistry,
  RuntimeError,
  systemClock,
} from '@pdx/runtime';
import { type DocumentStore, openEmbeddedStore, openMongoStore } from '@pdx/store';
import type { FastifyInstance } from 'fastify';
import { exchangeKeyOnce, type LoadedKey } from './exchange-key.js';
import { bootstrapOperator, loadOperators } from './operators.js';
import type { ServiceDefinition, ServiceModule } from './service-module.js';

export type HostMode = 'embedded' | 'production';

export interface HostOptions {
  /** Process name, for logs and the Kafka client id. */
  name: string;
  services: readonly ServiceDefinition[];
  env: Env;
  logger: Logger;
  clock?: Clock;
  /** Real time for the services' pacing and timings (ServiceDeps.wallClock); the system clock unless set. */
  wallClock?: Clock;
  /** The web console's build (services/console/dist), served at `/`; unset, no console. */
  consoleDir?: string;
}

/**
 * An assembled, unstarted process. `start()` listens first (so `/healthz` answers at once),
 * then connects the event log and starts each service; it resolves once they are started,
 * while consumers may still be joining their groups (`/readyz` says so). `stop()` shuts down
 * in order.
 */
export interface Host {
  mode: HostMode;
  http: FastifyInstance;
  services: readonly ServiceModule[];
  bus: EventBus;
  /** The process's metrics, served at /metrics (on PDX_METRICS_PORT when set). */
  metrics: MetricsRegistry;
  /** `metricsUrl`: where the separate metrics listener listens, when PDX_METRICS_PORT is set. */
  start(): Promise<{ url: string; metricsUrl?: string }>;
  stop(): Promise<void>;
}

/**
 * The composition root shared by every pdx process. With KAFKA_BROKERS and MONGODB_URI
 * set it runs on Kafka and MongoDB; with neither it runs embedded (SQLite log and store
 * under PDX_DATA_DIR). Setting only one of them is refused: half-embedded would silently
 * split data between two places.
 */
export async function createHost(options: HostOptions): Promise<Host> {
  const config = new ConfigReader(options.env);
  const logger = options.logger;
  const clock = options.clock ?? systemClock;
  const wallClock = options.wallClock ?? systemClock;
  const registry = new SchemaRegistry();
  const brokers = config.list('KAFKA_BROKERS');
  const mongoUri = config.optionalString('MONGODB_URI');
  if (brokers.length > 0 !== (mongoUri !== undefined)) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      'set both KAFKA_BROKERS and MONGODB_URI (production) or neither (embedded)',
    );
  }
  const mode: HostMode = mongoUri ? 'production' : 'embedded';
  const dataDir = config.string('PDX_DATA_DIR', join(process.cwd(), '.pdx-data'));
  const port = config.int('PORT', 8080, { min: 0, max: 65535 });
  const host = config.string('HOST', '127.0.0.1');
  // Metrics on a port of their own keep them off the public interface: the main port then
  // has no /metrics, and only what can reach this port (the scraper) sees them.
  const metricsPort =
    config.optionalString('PDX_METRICS_PORT') === undefined
      ? undefined
      : config.int('PDX_METRICS_PORT', 0, { min: 0, max: 65535 });
  const metrics = createMetricsRegistry();
  const lagSampleIntervalMs = config.int('PDX_METRICS_LAG_INTERVAL_MS', 5_000, { min: 0, max: 600_000 });
  // The issuer of access tokens: the URL clients use (the gateway's in production); unset, the
  // URL this host listens on, known once it does.
  const publicUrl = config.optionalString('PDX_PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `PDX_PUBLIC_URL must be an http(s) URL without query or fragment, not ${publicUrl}`,
    );
  }
  let issuer = publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const bus: EventBus =
    mode === 'production'
      ? new KafkaEventBus({
          brokers,
          clientId: config.string('KAFKA_CLIENT_ID', options.name),
          registry,
          logger,
          clock,
          partitions: config.int('KAFKA_PARTITIONS', 6, { min: 1, max: 1000 }),
          replicationFactor: config.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 10 }),
          topicPrefix: config.string('KAFKA_TOPIC_PREFIX', ''),
          concurrency: config.int('KAFKA_CONSUMER_CONCURRENCY', 3, { min: 1, max: 100 }),
          ...kafkaGroupTimeouts(config),
          metrics,
          lagSampleIntervalMs,
        })
      : new EmbeddedEventBus({ dataDir, registry, logger, clock, metrics, lagSampleIntervalMs });

  const stores: DocumentStore[] = [];
  const openStore = async (database: string): Promise<DocumentStore> => {
    const prefix = config.string('MONGODB_DATABASE_PREFIX', 'pdx_');
    const store =
      mode === 'production'
        ? await openMongoStore({ uri: mongoUri!, database: `${prefix}${database}`, logger })
        : openEmbeddedStore({ dir: dataDir, database });
    stores.push(store);
    return store;
  };
  const closeAll = async () => {
    await bus.close();
    for (const s of stores) await s.close();
  };

  const services: ServiceModule[] = [];
  let http: FastifyInstance;
  try {
    const operators = loadOperators(config, registry);
    if (operators.length === 0 && mode === 'embedded') {
      mkdirSync(dataDir, { recursive: true });
      operators.push(await bootstrapOperator(dataDir, logger));
    } else if (operators.length === 0) {
      logger.warn('no operators configured (PDX_OPERATORS): nobody can register parties');
    }
    const auth = {
      audience: config.string('PDX_EXCHANGE_ID', 'pdx'),
      operators,
      clockSkewSeconds: config.int('PDX_CLOCK_SKEW_SECONDS', 30, { min: 0, max: 300 }),
      issuer: () => issuer,
    };
    const exchangeKey = exchangeKeyOnce(config, mode, dataDir, logger);
    const verifier = await tokenVerifier(config, mode, exchangeKey, clock, auth);

    for (const definition of options.services) {
      const store = await openStore(definition.name);
      services.push(
        await definition.create({
          bus,
          store,
          registry,
          clock,
          wallClock,
          exchangeKey,
          config,
          auth,
          mode,
          dataDir,
          metrics,
          logger: logger.child({ service: definition.name }),
        }),
      );
    }

    http = createHttpServer({
      logger,
      registry,
      api: apiInfo(),
      bodyLimit: config.int('PDX_HTTP_BODY_LIMIT', 256 * 1024, { min: 1024 }),
      metrics: { registry: metrics, serve: metricsPort === undefined },
      readiness: [
        { name: 'eventLog', check: () => bus.ping() },
        ...stores.map((s, i) => ({ name: `database:${options.services[i]!.name}`, check: () => s.ping() })),
        { name: 'startup', check: async () => startup.check() },
        { name: 'consumers', check: async () => consumersJoined(bus, clock) },
      ],
    });
    // Every route below declares who may call it (config.access); access tokens are checked here.
    await http.register(authPlugin, {
      verifier,
      realm: auth.audience,
      missingVerifier:
        'this process has no way to check them: set PDX_AUTH_JWKS_URL (the JWKS of the exchange key) or PDX_EXCHANGE_KEY_FILE',
    });
    for (const s of services) await http.register(s.routes);
    if (options.consoleDir !== undefined) registerConsole(http, { root: options.consoleDir, logger });
    // One JWKS for the process: every key its services sign with (exchange, ledger), once each.
    const published = [
      ...new Map(services.flatMap((s) => s.publicKeys ?? []).map((k) => [k.kid, k])).values(),
    ];
    if (published.length > 0) {
      http.get(
        '/.well-known/jwks.json',
        {
          config: PUBLIC,
          schema: {
            summary: 'The public keys this process signs with (webhooks, ledger heads, statements)',
            response: { 200: { $ref: 'urn:pdx:schema:common:jwks.v1' } },
          },
        },
        async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send({ keys: published }),
      );
    }
  } catch (error) {
    // Nothing half-built stays open: the caller exits, a test goes on.
    await closeAll().catch(() => {});
    throw error;
  }

  const metricsServer =
    metricsPort === undefined ? undefined : createMetricsServer({ registry: metrics, logger });
  const started: ServiceModule[] = [];
  const startup = {
    done: false,
    check(): void {
      if (this.done) return;
      const waiting = services.filter((s) => !started.includes(s)).map((s) => s.name);
      throw new Error(`starting: ${waiting.length > 0 ? waiting.join(', ') : 'connecting'}`);
    },
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Stop taking requests, then let consumers finish and commit, then disconnect.
    await http.close();
    await metricsServer?.close();
    for (const s of [...started].reverse()) await s.stop();
    await closeAll();
  };
  return {
    mode,
    http,
    services,
    bus,
    metrics,
    async start() {
      // Listen first: /healthz answers at once, /readyz says what is still starting (a
      // consumer restarted after a crash waits for its dead predecessor's session to end).
      const url = await http.listen({ port, host });
      if (publicUrl === undefined) issuer = url;
      logger.info(
        { url, mode, dataDir: mode === 'embedded' ? dataDir : undefined },
        `${options.name} listening`,
      );
      let metricsUrl: string | undefined;
      try {
        if (metricsServer) {
          metricsUrl = await metricsServer.listen({ port: metricsPort, host });
          logger.info({ url: `${metricsUrl}/metrics` }, 'metrics listening');
        }
        await bus.start();
        for (const s of services) {
          await s.start();
          started.push(s);
        }
      } catch (error) {
        await stop().catch(() => {});
        throw error;
      }
      startup.done = true;
      logger.info({ services: services.map((s) => s.name) }, `${options.name} started`);
      return metricsUrl === undefined ? { url } : { url, metricsUrl };
    },
    stop,
  };
}

/** The document's title and version: the repository's package.json, two levels above this package. */
function apiInfo(): { title: string; version: string; description: string } {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return {
    title: 'pdx, the partner declaration exchange',
    version: pkg.version,
    description:
      "Signed Declarations of Security and certificate events between supply-chain partners, reviewed under ISO 28001 4.2–4.5. Every error is an RFC 9457 problem (`application/problem+json`) with a stable `type`; each error response lists the codes it can carry in `x-pdx-problems` (see the README's error table).",
  };
}

/**
 * How this process checks access tokens: against the exchange key's public half where the
 * process has the key (embedded, or PDX_EXCHANGE_KEY / PDX_EXCHANGE_KEY_FILE set), and against
 * the JWKS at PDX_AUTH_JWKS_URL for any other kid (fetched when needed, cached, fetched again
 * for a kid it does not know: a rotated key). Undefined when neither: then only public routes.
 */
async function tokenVerifier(
  config: ConfigReader,
  mode: HostMode,
  exchangeKey: () => Promise<LoadedKey>,
  clock: Clock,
  auth: { audience: string; clockSkewSeconds: number; issuer(): string },
): Promise<AccessTokenVerifier | undefined> {
  const jwksUrl = config.optionalString('PDX_AUTH_JWKS_URL');
  if (jwksUrl !== undefined && !URL.canParse(jwksUrl)) {
    throw new RuntimeError('PDX_CONFIG_INVALID', `PDX_AUTH_JWKS_URL must be a URL, not ${jwksUrl}`);
  }
  const hasKey =
    mode === 'embedded' ||
    config.optionalString('PDX_EXCHANGE_KEY') !== undefined ||
    config.optionalString('PDX_EXCHANGE_KEY_FILE') !== undefined;
  if (!hasKey && jwksUrl === undefined) return undefined;
  const keys = hasKey ? [(await exchangeKey()).publicJwk] : [];
  return accessTokenVerifier({
    issuer: auth.issuer,
    audience: auth.audience,
    keys,
    jwksUrl,
    clock,
    clockSkewSeconds: auth.clockSkewSeconds,
  });
}

/**
 * The consumer-group timeouts (see KafkaBusOptions): the session at 10 s by default, where
 * brokers allow 6 s at least, and the rebalance at twice the session unless set.
 */
function kafkaGroupTimeouts(config: ConfigReader): { sessionTimeoutMs: number; rebalanceTimeoutMs: number } {
  const sessionTimeoutMs = config.int('KAFKA_SESSION_TIMEOUT_MS', 10_000, { min: 6_000, max: 300_000 });
  const rebalanceTimeoutMs = config.int('KAFKA_REBALANCE_TIMEOUT_MS', 2 * sessionTimeoutMs, {
    min: sessionTimeoutMs,
    max: 600_000,
  });
  return { sessionTimeoutMs, rebalanceTimeoutMs };
}

/** Readiness of the consumers: every subscription has joined its group. */
function consumersJoined(bus: EventBus, clock: Clock): void {
  const waiting = bus.subscriptionStates().filter((s) => s.state !== 'joined');
  if (waiting.length === 0) return;
  throw new Error(
    waiting
      .map((s) => {
        const seconds = ((clock.now() - s.sinceMs) / 1000).toFixed(1);
        const what = s.state === 'failed' ? 'failed' : 'joining its consumer group';
        return `${s.group}: ${what} for ${seconds} s${s.reason ? ` (${s.reason})` : ''}`;
      })
      .join('; '),
  );
}
