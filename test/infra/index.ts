import { FERRETDB_VERSION, pingMongo, startLocalFerretDb } from './local-ferretdb.js';
import { BROKER_SETTINGS, KAFKA_VERSION, newClusterId, pingKafka, startLocalKafka } from './local-kafka.js';
import { freePorts } from './managed-process.js';

export { type LocalFerretDb, type LocalFerretDbOptions, startLocalFerretDb } from './local-ferretdb.js';
export { type LocalKafka, type LocalKafkaOptions, startLocalKafka } from './local-kafka.js';

/** Where a service came from: an env override, a Docker container, or a local process. */
export type Provider = 'env' | 'docker' | 'local';

export interface Infrastructure {
  /** Kafka bootstrap servers, comma-separated host:port. */
  kafkaBrokers: string;
  /** MongoDB connection string; tests pick their own database name. */
  mongodbUri: string;
  /** Which provider served each service, and a one-line description for the test log. */
  kafka: { provider: Provider; description: string };
  mongodb: { provider: Provider; description: string };
  /** Stops whatever this call started (nothing for env overrides). Idempotent. */
  stop(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface InfrastructureOptions {
  /** Read for KAFKA_BROKERS, MONGODB_URI and CI; default process.env. */
  env?: Env;
}

const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
const MONGODB_IMAGE = 'mongo:7';
const VERIFY_TIMEOUT_MS = 15_000;

interface Service {
  name: 'Kafka' | 'MongoDB';
  provider: Provider;
  /** Brokers or URI. */
  address: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * Provides a Kafka and a MongoDB-wire database for integration tests and benchmarks.
 * Each is resolved on its own, first match wins:
 *   1. KAFKA_BROKERS / MONGODB_URI from the environment;
 *   2. a container (apache/kafka, mongo:7) when a Docker engine answers;
 *   3. a local process: Kafka on the JVM, FerretDB on SQLite (scripts/provision.sh).
 * Both are then checked with a real client. Failing that, this throws: integration tests
 * fail rather than skip, and under CI=true the message says so.
 */
export async function startInfrastructure(options: InfrastructureOptions = {}): Promise<Infrastructure> {
  const env = options.env ?? process.env;
  const docker = memo(dockerEngineAvailable);
  const kafkaBrokers = env.KAFKA_BROKERS?.trim();
  const mongodbUri = env.MONGODB_URI?.trim();

  const results = await Promise.allSettled([
    kafkaBrokers
      ? fromEnv('Kafka', 'KAFKA_BROKERS', kafkaBrokers)
      : startKafka(docker).catch(notAvailable('Kafka')),
    mongodbUri
      ? fromEnv('MongoDB', 'MONGODB_URI', mongodbUri)
      : startMongoDb(docker).catch(notAvailable('MongoDB')),
  ]);
  const services = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (failures.length === 0) {
    const [kafka, mongodb] = services as [Service, Service];
    const checks = await Promise.allSettled([
      retryFor(VERIFY_TIMEOUT_MS, () => pingKafka(kafka.address, { timeoutMs: 2_000 })).catch(
        unreachable(kafka),
      ),
      retryFor(VERIFY_TIMEOUT_MS, () => pingMongo(mongodb.address, { timeoutMs: 2_000 })).catch(
        unreachable(mongodb),
      ),
    ]);
    failures.push(...checks.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])));
    if (failures.length === 0) {
      const stop = memo(async () => {
        await Promise.all(services.map((s) => s.stop()));
      });
      return {
        kafkaBrokers: kafka.address,
        mongodbUri: mongodb.address,
        kafka: { provider: kafka.provider, description: kafka.description },
        mongodb: { provider: mongodb.provider, description: mongodb.description },
        stop,
      };
    }
  }
  await Promise.allSettled(services.map((s) => s.stop()));
  const reasons = failures.map((f) => (f instanceof Error ? f.message : String(f)));
  throw new Error(`${reasons.join('\n')}\n${advice(env)}`, {
    cause: failures.length === 1 ? (failures[0] as Error).cause : new AggregateError(failures),
  });
}

async function fromEnv(name: Service['name'], variable: string, address: string): Promise<Service> {
  return {
    name,
    provider: 'env',
    address,
    description: `${name}: ${address} from ${variable}`,
    stop: async () => {},
  };
}

async function startKafka(docker: () => Promise<boolean>): Promise<Service> {
  const started = Date.now();
  if (await docker()) {
    const { address, stop } = await startKafkaContainer();
    return service('Kafka', 'docker', address, `${KAFKA_IMAGE} container (Docker)`, started, stop);
  }
  const kafka = await startLocalKafka();
  return service(
    'Kafka',
    'local',
    kafka.brokers,
    `local Kafka ${KAFKA_VERSION} (JVM, KRaft)`,
    started,
    kafka.stop,
  );
}

async function startMongoDb(docker: () => Promise<boolean>): Promise<Service> {
  const started = Date.now();
  if (await docker()) {
    const { address, stop } = await startMongoDbContainer();
    return service('MongoDB', 'docker', address, `${MONGODB_IMAGE} container (Docker)`, started, stop);
  }
  const ferretdb = await startLocalFerretDb();
  // FerretDB is not MongoDB: say so in the log, next to the tests that may trip over it.
  const what = `local FerretDB ${FERRETDB_VERSION} (SQLite; no transactions, change streams, TTL or $lookup)`;
  return service('MongoDB', 'local', ferretdb.uri, what, started, ferretdb.stop);
}

function service(
  name: Service['name'],
  provider: Provider,
  address: string,
  what: string,
  startedAt: number,
  stop: () => Promise<void>,
): Service {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  return {
    name,
    provider,
    address,
    description: `${name}: ${what} at ${address}, ready in ${seconds} s`,
    stop,
  };
}

/** Whether testcontainers finds a Docker-compatible engine; loaded only when needed. */
async function dockerEngineAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * apache/kafka in KRaft mode. @testcontainers/kafka 11 only drives Confluent images
 * (/etc/confluent/docker/run), so this is a plain container. The broker must advertise the
 * address clients use, which is only known after the port is mapped; binding a host port
 * chosen up front, the same inside and out, sidesteps that.
 */
async function startKafkaContainer(): Promise<{ address: string; stop(): Promise<void> }> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const [port] = (await freePorts(1)) as [number];
  const settings: Record<string, string> = {
    'node.id': '1',
    'process.roles': 'broker,controller',
    'controller.quorum.voters': '1@127.0.0.1:9093',
    listeners: `PLAINTEXT://0.0.0.0:${port},BROKER://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093`,
    'advertised.listeners': `PLAINTEXT://${host}:${port},BROKER://127.0.0.1:9092`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'BROKER',
    // Given any KAFKA_* variable the image ignores its own server.properties entirely.
    'log.dirs': '/tmp/kraft-combined-logs',
    ...BROKER_SETTINGS,
  };
  // The image turns KAFKA_FOO_BAR into foo.bar in its server.properties.
  const environment = Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      `KAFKA_${key.toUpperCase().replaceAll('.', '_')}`,
      value,
    ]),
  );
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withEnvironment({ ...environment, CLUSTER_ID: newClusterId() })
    .withExposedPorts({ container: port, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return {
    address: `${host}:${port}`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startMongoDbContainer(): Promise<{ address: string; stop(): Promise<void> }> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer(MONGODB_IMAGE).start();
  return {
    // The container is a one-member replica set that knows itself by its container
    // hostname; a direct connection keeps the driver from looking that name up.
    address: `${container.getConnectionString()}/?directConnection=true`,
    stop: async () => {
      await container.stop();
    },
  };
}

function notAvailable(name: Service['name']) {
  return (error: unknown): never => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} could not be started: ${reason}`, { cause: error });
  };
}

function unreachable(service: Service) {
  return (error: unknown): never => {
    const reason = error instanceof Error ? error.message : String(error);
    const variable = service.name === 'Kafka' ? 'KAFKA_BROKERS' : 'MONGODB_URI';
    const hint = service.provider === 'env' ? ` Start it, or unset ${variable} to have one started.` : '';
    throw new Error(`${service.description}, but it is not reachable: ${reason}.${hint}`, { cause: error });
  };
}

function advice(env: Env): string {
  const ways =
    'Integration tests need Kafka and MongoDB: set KAFKA_BROKERS / MONGODB_URI, start a Docker engine, ' +
    'or run `npm run provision` (needs java, mvn and go; see test/infra/README.md) for local processes.';
  return env.CI === 'true' ? `${ways} CI=true: they fail, never skip, without them.` : ways;
}

/**
 * Calls `probe` until it resolves or `timeoutMs` has passed; rejects with its last error.
 * A broker that was just started may still be creating its internal topics.
 */
async function retryFor(timeoutMs: number, probe: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs `fn` at most once; later calls share its promise. */
function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}

export { type TlogVerifyRequest, tlogVerify } from './tlog-verify.js';
