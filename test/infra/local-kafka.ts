import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import {
  defaultCacheDir,
  ensureProvisioned,
  freePorts,
  logTail,
  type ManagedProcess,
  makeWorkDir,
  runLogged,
  spawnManaged,
  waitUntilReady,
} from './managed-process.js';

/** Must match KAFKA_VERSION in scripts/provision.sh, which fills the cache. */
export const KAFKA_VERSION = '3.9.1';

export interface LocalKafkaOptions {
  /** Holds kafka-<version>/libs; default $PDX_CACHE or ~/.cache/pdx. */
  cacheDir?: string;
  /** How long to wait for the broker to answer; default 60 s. */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop; default 10 s (a clean stop takes about 2 s). */
  stopGraceMs?: number;
  /** Maximum JVM heap; default 512m. */
  heap?: string;
}

export interface LocalKafka {
  /** Bootstrap servers, comma-separated host:port. */
  brokers: string;
  /** Broker output, kept until stop() removes the working folder. */
  logFile: string;
  /**
   * An outage, for fault drills: stops the broker process (SIGTERM, then SIGKILL after the
   * grace) and keeps its data and ports. `startBroker()` brings the same broker back.
   */
  stopBroker(): Promise<void>;
  /** Starts the broker stopped by `stopBroker()` on the same ports and data; resolves once it answers. */
  startBroker(): Promise<void>;
  /** Stops the broker and deletes its data. Idempotent. */
  stop(): Promise<void>;
}

const PORT_ATTEMPTS = 3;

/**
 * Starts a single-node Kafka in KRaft combined mode (broker and controller in one JVM) on
 * free loopback ports with a fresh data folder, from the jars scripts/provision.sh caches.
 * Resolves once a kafkajs admin client can describe the cluster and find a group coordinator.
 */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const home = join(cacheDir, `kafka-${KAFKA_VERSION}`);
  await ensureProvisioned(cacheDir, join(home, '.complete'));
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const classpath = `${join(home, 'libs')}/*`;
  const workDir = await makeWorkDir('pdx-kafka-');
  const logFile = join(workDir, 'kafka.log');
  const log4j = join(workDir, 'log4j.properties');
  const jvm = [`-Dlog4j.configuration=${pathToFileURL(log4j).href}`, '-Djava.awt.headless=true'];

  try {
    await writeFile(log4j, LOG4J_PROPERTIES);
    for (let attempt = 1; ; attempt++) {
      const [port, controllerPort] = (await freePorts(2)) as [number, number];
      const brokers = `127.0.0.1:${port}`;
      const config = join(workDir, `server-${attempt}.properties`);
      await writeFile(config, serverProperties(port, controllerPort, join(workDir, `data-${attempt}`)));
      // KRaft refuses to start on an unformatted log folder.
      await runLogged(
        java,
        [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', config],
        { cwd: workDir, logFile, timeoutMs: 60_000, what: 'kafka-storage format' },
      );
      const launch = async (): Promise<ManagedProcess> => {
        const broker = spawnManaged({
          command: java,
          args: [
            `-Xmx${options.heap ?? '512m'}`,
            '-XX:+ExitOnOutOfMemoryError',
            ...jvm,
            '-cp',
            classpath,
            'kafka.Kafka',
            config,
          ],
          cwd: workDir,
          logFile,
        });
        try {
          await waitUntilReady({
            what: `Kafka ${KAFKA_VERSION} on ${brokers}`,
            process: broker,
            timeoutMs: options.startTimeoutMs ?? 60_000,
            probe: () => pingKafka(brokers, { timeoutMs: 2_000 }),
          });
        } catch (error) {
          await broker.stop(1_000);
          throw error;
        }
        return broker;
      };
      let broker: ManagedProcess;
      try {
        broker = await launch();
      } catch (error) {
        // Another process took a port between freePorts() and the bind: pick new ones.
        if (attempt < PORT_ATTEMPTS && /Address already in use/.test(await logTail(logFile))) continue;
        throw error;
      }
      const graceMs = options.stopGraceMs ?? 10_000;
      let stopped: Promise<void> | undefined;
      return {
        brokers,
        logFile,
        stopBroker: () => broker.stop(graceMs),
        startBroker: async () => {
          if (broker.exitStatus() === undefined) throw new Error('the broker is running: stopBroker() first');
          broker = await launch();
        },
        stop: () => {
          stopped ??= broker
            .stop(graceMs)
            .then(() => rm(workDir, { recursive: true, force: true, maxRetries: 3 }));
          return stopped;
        },
      };
    }
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Resolves once the brokers answer metadata requests with at least one live broker (the
 * KRaft broker is registered and unfenced) and name a group coordinator; rejects after
 * about `timeoutMs`, without retrying. The coordinator lookup creates __consumer_offsets,
 * which otherwise happens while the first test's consumer waits.
 */
export async function pingKafka(brokers: string, { timeoutMs }: { timeoutMs: number }): Promise<void> {
  const kafka = new Kafka({
    clientId: 'pdx-infra-probe',
    brokers: brokers.split(',').map((b) => b.trim()),
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    // Refused connections are expected while the broker starts.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster reports no live brokers');
    await admin.listTopics();
    await admin.describeGroups(['pdx-infra-probe']);
  } finally {
    await admin.disconnect();
  }
}

/** A Kafka cluster id: 16 random bytes, base64url without padding (Kafka's Uuid.toString). */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // The CLI would read a leading '-' as an option, which is why Kafka's own generator avoids it.
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Broker settings shared by the local broker and the Docker one, so tests see the same
 * Kafka whichever provider runs it.
 */
export const BROKER_SETTINGS: Readonly<Record<string, string>> = {
  'num.partitions': '3',
  'auto.create.topics.enable': 'true',
  // One node: internal topics cannot be replicated, and one partition each makes the
  // first consumer group and the first transaction start in milliseconds, not seconds.
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '1',
  // Tests join groups one consumer at a time; waiting for more only slows them down.
  'group.initial.rebalance.delay.ms': '0',
};

function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    ...BROKER_SETTINGS,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

// Warnings, plus the lines that say the server started or stopped.
const LOG4J_PROPERTIES = `${[
  'log4j.rootLogger=WARN, stderr',
  'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stderr.Target=System.err',
  'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.server.KafkaRaftServer=INFO',
  'log4j.logger.kafka.server.BrokerServer=INFO',
].join('\n')}\n`;
