import { createEvent, type EventDataMap, type PdxEventType, SchemaRegistry } from '@pdx/contracts';
import type { Collection } from '@pdx/store';

// For the projections' tests only (not exported from the package).

const registry = new SchemaRegistry();
const T0 = Date.parse('2027-01-01T00:00:00Z');

/** A pdx event with data checked against its schema. */
export function event<K extends PdxEventType>(type: K, subject: string, data: EventDataMap[K], id: string) {
  return createEvent(registry, { type, subject, data, source: 'urn:pdx:pdx:test', time: T0, id });
}

/** Enough of a collection for an apply: get and put, on copies as the stores give them. */
export function memoryCollection<T extends { id: string }>(): Collection<T> {
  const docs = new Map<string, T>();
  const refuse = () => Promise.reject(new TypeError('not used by an apply'));
  return {
    get: async (id) => structuredClone(docs.get(id)),
    put: async (doc) => {
      docs.set(doc.id, structuredClone(doc));
    },
    insert: refuse,
    replaceIf: refuse,
    find: refuse,
    count: refuse,
    delete: refuse,
  };
}
