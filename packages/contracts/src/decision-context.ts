import { createEvent, type EventOf, type NewEvent, type PdxEventType } from './event-catalog.js';
import type { SchemaRegistry } from './schema-registry.js';

/**
 * What every pure decider is given besides the record and its input: the time of the
 * decision (ms since the epoch, read from the service's clock by its caller), the service's
 * event source, and the schema registry events are checked against. Nothing in it does I/O.
 */
export interface DecisionContext {
  now: number;
  source: string;
  registry: SchemaRegistry;
}

/** A decider's context from a service's dependencies: the time read once from its clock, its source, its registry. */
export function decisionContext(deps: {
  clock: { now(): number };
  source: string;
  registry: SchemaRegistry;
}): DecisionContext {
  return { now: deps.clock.now(), source: deps.source, registry: deps.registry };
}

/** The decision time as an ISO 8601 timestamp, as records and events state it. */
export function isoAt(context: DecisionContext): string {
  return new Date(context.now).toISOString();
}

/** An event a decider emits, stamped with the context's source and time; its id is deterministic. */
export function decidedEvent<K extends PdxEventType>(
  context: DecisionContext,
  input: Omit<NewEvent<K>, 'source' | 'time' | 'id'> & { id: string },
): EventOf<K> {
  return createEvent(context.registry, { ...input, source: context.source, time: context.now });
}
