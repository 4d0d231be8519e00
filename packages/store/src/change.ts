import type { Collection, Doc, Filter } from './document-store.js';
import { StoreError } from './errors.js';
import {
  type CommitResult,
  commitChange,
  flushOutbox,
  type OutboxDeps,
  type OutboxRecord,
  publishOutbox,
  type Unversioned,
} from './outbox.js';

/**
 * What a decider answers, given the record as read and its input: a change (the record's next
 * content and the events that say what happened), nothing to change, or a refusal (the
 * error the caller is answered with; nothing is written). A decider is a pure function: no
 * I/O, no clock of its own; everything it needs arrives in its input.
 */
export type Decision<T extends OutboxRecord<E>, E, V = undefined> =
  | { kind: 'change'; next: Unversioned<T>; events: readonly E[]; value?: V }
  | { kind: 'unchanged'; value?: V }
  | { kind: 'refused'; error: Error };

export const change = <T extends OutboxRecord<E>, E, V = undefined>(
  next: Unversioned<T>,
  events: readonly E[],
  value?: V,
): Decision<T, E, V> =>
  value === undefined ? { kind: 'change', next, events } : { kind: 'change', next, events, value };
export const unchanged = <V = undefined>(value?: V): { kind: 'unchanged'; value?: V } =>
  value === undefined ? { kind: 'unchanged' } : { kind: 'unchanged', value };
export const refused = (error: Error): { kind: 'refused'; error: Error } => ({ kind: 'refused', error });

/** What the handler did: the record as it now stands (undefined when there is none and nothing changed). */
export type ChangeOutcome<T extends OutboxRecord<E>, E, V = undefined> =
  | { kind: 'changed'; created: boolean; record: T; events: readonly E[]; value: V | undefined }
  | { kind: 'unchanged'; record: T | undefined; value: V | undefined };

/**
 * Writes a decided change. `commitChange` by default; the seam where a consumer that commits
 * a whole consumed batch at once (its effects, its events, its offset, in one transaction
 * where the database has them) collects the changes instead of writing each one.
 */
export type Committer = <T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  before: T | undefined,
  after: Unversioned<T>,
  events: E[],
) => Promise<CommitResult>;

export interface ChangeOptions<T extends OutboxRecord<E>, E, C> {
  /**
   * Reads what the decision needs besides the record (other documents, the clock), again on
   * every attempt: what a concurrent change altered is decided on anew.
   */
  load?: (current: T | undefined) => C | Promise<C>;
  /**
   * What a repeat does with events an earlier attempt left in the outbox. 'publish' (an API
   * request repeated by its client): publish them now, whatever the claims say, so the answer
   * is given once they are in the log. 'flush' (a consumer): publish them unless their writer
   * still holds the claim, which then settles them.
   */
  repeat?: 'publish' | 'flush';
  /** How many stale writes before giving up with PDX_CHANGE_CONTENDED (retriable). Default 16. */
  attempts?: number;
  commit?: Committer;
}

export const DEFAULT_CHANGE_ATTEMPTS = 16;

/**
 * The one loop every use case that changes a record goes through: read the record, load its
 * context, ask the pure decider, commit the change with its events through the outbox, and
 * start over when a concurrent change won (compare-and-set on the record's version), a bounded
 * number of times. A refusal is thrown as decided; a repeat makes sure what an earlier attempt
 * recorded is in the log before it answers.
 */
export async function handleChange<T extends OutboxRecord<E>, E, C = undefined, V = undefined>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  id: string,
  decide: (current: T | undefined, context: C) => Decision<T, E, V>,
  options: ChangeOptions<T, E, C> = {},
): Promise<ChangeOutcome<T, E, V>> {
  const attempts = options.attempts ?? DEFAULT_CHANGE_ATTEMPTS;
  const commit = options.commit ?? commitChange;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await collection.get(id);
    const context = (options.load ? await options.load(current) : undefined) as C;
    const decision = decide(current, context);
    if (decision.kind === 'refused') throw decision.error;
    if (decision.kind === 'unchanged') {
      if (current?.pending) {
        if (options.repeat === 'flush') await flushOutbox(deps, collection, current);
        else await publishOutbox(deps, collection, current);
      }
      return { kind: 'unchanged', record: current, value: decision.value };
    }
    const events = [...decision.events];
    if ((await commit(deps, collection, current, decision.next, events)) === 'committed') {
      const record = {
        ...decision.next,
        version: (current?.version ?? 0) + 1,
        outbox: [],
        pending: false,
      } as unknown as T;
      return { kind: 'changed', created: current === undefined, record, events, value: decision.value };
    }
  }
  throw new StoreError(
    'PDX_CHANGE_CONTENDED',
    `the record ${id} changed under ${attempts} concurrent writes in a row; the request changed nothing and may be sent again`,
  );
}

/**
 * What a pure decider answers about a record that no event follows from (an alert's inbox
 * state, a webhook delivery, a lapse schedule entry): its next content, nothing to change (the
 * record as it stands, or undefined where there is none), or a refusal (the error the caller is
 * answered with; nothing is written).
 */
export type RecordDecision<T, U extends T | undefined = T> =
  | { kind: 'change'; next: T }
  | { kind: 'unchanged'; record: U }
  | { kind: 'refused'; error: Error };

export interface RecordChangeOptions<T, C> {
  /** What the compare-and-set expects of the record as read (e.g. its version). */
  expected: (current: T) => Filter;
  /** Reads what the decision needs besides the record, again on every attempt. */
  load?: (current: T | undefined) => C | Promise<C>;
  /** How many lost races before PDX_CHANGE_CONTENDED (retriable). Default 16. */
  attempts?: number;
}

/**
 * The same loop as handleChange for a record that carries no outbox (no events follow from
 * it): read the record, load the decision's context, ask the pure decider, write the change
 * by compare-and-set on what `expected` says of the record as read (an insert where there was
 * none), and start over when a concurrent change won, a bounded number of times (then
 * PDX_CHANGE_CONTENDED, retriable). A refusal is thrown as decided. Resolves to the record as
 * it now stands.
 */
export async function changeRecord<T extends Doc, C = undefined, U extends T | undefined = T>(
  collection: Collection<T>,
  id: string,
  decide: (current: T | undefined, context: C) => RecordDecision<T, U>,
  options: RecordChangeOptions<T, C>,
): Promise<T | U> {
  const attempts = options.attempts ?? DEFAULT_CHANGE_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await collection.get(id);
    const context = (options.load ? await options.load(current) : undefined) as C;
    const decision = decide(current, context);
    if (decision.kind === 'refused') throw decision.error;
    if (decision.kind === 'unchanged') return decision.record;
    if (current === undefined) {
      if ((await collection.insert(decision.next)) === 'inserted') return decision.next;
    } else if (await collection.replaceIf(decision.next, options.expected(current))) {
      return decision.next;
    }
  }
  throw new StoreError(
    'PDX_CHANGE_CONTENDED',
    `the record ${id} changed under ${attempts} concurrent writes in a row; the request changed nothing and may be sent again`,
  );
}
