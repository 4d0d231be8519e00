import type { EventBus } from '@pdx/bus';
import type { PublicJwk, SchemaRegistry } from '@pdx/contracts';
import type { Operator } from '@pdx/http';
import type { Clock, ConfigReader, Logger, MetricsRegistry } from '@pdx/runtime';
import type { DocumentStore } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import type { LoadedKey } from './exchange-key.js';

/** What a service is given by whoever hosts it (its own process, or the all-in-one process). */
export interface ServiceDeps {
  bus: EventBus;
  /** The service's own database: each service owns its data. */
  store: DocumentStore;
  registry: SchemaRegistry;
  /** The time of the domain (validity windows, due dates, lapses): a test may drive it by hand. */
  clock: Clock;
  /**
   * Real time, for what paces or measures work rather than decides it (delivery retries and
   * holds, scan timings, the order of alerts on a stream): never a test's manual clock.
   */
  wallClock: Clock;
  /**
   * The exchange's signing key (access tokens, webhooks, status answers, statements), loaded
   * by the host once for the whole process, on first use. Where the process has none in
   * production (neither PDX_EXCHANGE_KEY nor PDX_EXCHANGE_KEY_FILE) it refuses with what to set.
   */
  exchangeKey(): Promise<LoadedKey>;
  logger: Logger;
  config: ConfigReader;
  /** The process's metrics: a service adds its own `pdx_` metrics here (one registry per host). */
  metrics: MetricsRegistry;
  /** production (Kafka and MongoDB) or embedded (everything under dataDir). */
  mode: 'production' | 'embedded';
  /** Where embedded mode keeps its files (and generated keys). */
  dataDir: string;
  /**
   * Who may call: the exchange's id (the `aud` of access tokens), the configured operators,
   * and the issuer URL (PDX_PUBLIC_URL, else the URL the host listens on once it does).
   */
  auth: { audience: string; operators: readonly Operator[]; clockSkewSeconds: number; issuer(): string };
}

/** A service as a host runs it: HTTP routes plus background work (consumers). */
export interface ServiceModule {
  name: string;
  routes: FastifyPluginAsync;
  /** Public keys the service signs with, published at /.well-known/jwks.json by its host. */
  publicKeys?: readonly PublicJwk[];
  /** Starts background work (subscriptions, recovery). Called after the bus and store are up. */
  start(): Promise<void>;
  /** Stops background work: in-flight events finish and are committed. */
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  /** Service name; also the name of its database. */
  name: string;
  create(deps: ServiceDeps): Promise<ServiceModule> | ServiceModule;
}
