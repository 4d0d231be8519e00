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

/** An event a decider emits, stamped with the context's source and time; its id is deterministic. */
export function decidedEvent<K extends PdxEventType>(
  context: DecisionContext,
  input: Omit<NewEvent<K>, 'source' | 'time' | 'id'> & { id: string },
): EventOf<K> {
  return createEvent(context.registry, { ...input, source: context.source, time: context.now });
}
