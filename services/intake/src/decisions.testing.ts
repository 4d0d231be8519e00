import { type DecisionContext, PdxError, SchemaRegistry } from '@pdx/contracts';
import type { Decision, OutboxRecord } from '@pdx/store';

/** One registry for every decider test: compiling the schemas is the slow part. */
const registry = new SchemaRegistry();

/** A decision context at `now` (ISO 8601), with the real schema registry events are checked against. */
export function contextAt(now: string): DecisionContext {
  return { now: Date.parse(now), source: 'urn:pdx:pdx:intake', registry };
}

/**
 * A decision as a table row expects it: the events' types, ids and data and the next record;
 * `unchanged` with its value; or the refusal's code and pointer.
 */
export type Expected =
  | {
      kind: 'change';
      events: { type: string; id: string; subject: string; data: unknown }[];
      next: unknown;
      value?: unknown;
    }
  | { kind: 'unchanged'; value?: unknown }
  | { kind: 'refused'; code: string; pointer: string | undefined };

export function summary<T extends OutboxRecord<E>, E extends object, V>(
  decision: Decision<T, E, V>,
): Expected {
  switch (decision.kind) {
    case 'change':
      return {
        kind: 'change',
        events: decision.events.map((e) => {
          const { type, id, subject, data } = e as unknown as {
            type: string;
            id: string;
            subject: string;
            data: unknown;
          };
          return { type, id, subject, data };
        }),
        next: decision.next,
        ...(decision.value === undefined ? {} : { value: decision.value }),
      };
    case 'unchanged':
      return { kind: 'unchanged', ...(decision.value === undefined ? {} : { value: decision.value }) };
    case 'refused': {
      const error = decision.error;
      if (!(error instanceof PdxError)) throw new TypeError(`a refusal is a PdxError, not ${error.name}`);
      return { kind: 'refused', code: error.code, pointer: error.pointer };
    }
    default: {
      const never: never = decision;
      return never;
    }
  }
}
