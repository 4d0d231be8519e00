import type { TestProject } from 'vitest/node';
import { startInfrastructure } from './index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kafka bootstrap servers, comma-separated host:port. */
    kafkaBrokers: string;
    /** MongoDB connection string without a database; each test picks a random one. */
    mongodbUri: string;
  }
}

/**
 * Starts one Kafka and one MongoDB-wire database for the whole integration run (see
 * test/infra/README.md for where they come from) and hands their addresses to the tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await startInfrastructure();
  console.log(`[pdx infra] ${infra.kafka.description}`);
  console.log(`[pdx infra] ${infra.mongodb.description}`);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('mongodbUri', infra.mongodbUri);
  return () => infra.stop();
}
