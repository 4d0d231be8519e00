import type { Collection } from './document-store.js';

/** What the outbox needs of the event log: publish in order, resolve once durable. */
export interface OutboxPublisher<E> {
  publish(events: readonly E[]): Promise<void>;
}

/** A record that carries the events of its last change until the log acknowledged them. */
export interface OutboxRecord<E = unknown> {
  id: string;
  /** Incremented by every change; changes are compare-and-set on it. */
  version: number;
  /** Events of the last change that the log has not acknowledged yet (a transactional outbox). */
  outbox: E[];
  /** outbox.length > 0, as an indexable field for recovery. */
  pending: boolean;
}

export type Unversioned<T extends OutboxRecord> = Omit<T, 'version' | 'outbox' | 'pending'>;

export interface OutboxDeps<E = unknown> {
  bus: OutboxPublisher<E>;
  logger: { info(fields: object, message: string): void };
}

export type CommitResult = 'committed' | 'stale';

/**
 * Writes a change and its events together, then publishes them (the transactional outbox
 * pattern on a single document). The record, with the events appended to whatever its
 * outbox still holds, is compare-and-set on `version`: of two concurrent changes one wins and
 * the other is told to re-read ('stale'). Then the whole outbox is published, in order, and
 * cleared. If the log does not acknowledge, the error is thrown (the caller answers 503) and
 * the change stays recorded with its events pending: the periodic flusher publishes them when
 * the log is back. Nothing is undone, because a send the log did not acknowledge may still
 * have landed; event ids are deterministic, so a second publication is a duplicate that
 * consumers drop.
 */
export async function commitChange<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  before: T | undefined,
  after: Unversioned<T>,
  events: E[],
): Promise<CommitResult> {
  const version = (before?.version ?? 0) + 1;
  const outbox = [...(before?.outbox ?? []), ...events];
  const staged = { ...after, version, outbox, pending: outbox.length > 0 } as T;
  if (before) {
    if (!(await collection.replaceIf(staged, { version: before.version }))) return 'stale';
  } else if ((await collection.insert(staged)) === 'exists') {
    return 'stale';
  }
  await publishOutbox(deps, collection, staged);
  return 'committed';
}

/**
 * Publishes a record's pending events and clears them (if the record has not changed
 * meanwhile; a newer version carries them on and publishes them itself). Rejects when the
 * log does not acknowledge. A record with nothing pending resolves at once.
 */
export async function publishOutbox<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  record: T,
): Promise<void> {
  if (!record.pending || record.outbox.length === 0) return;
  await deps.bus.publish(record.outbox);
  await collection.replaceIf({ ...record, outbox: [], pending: false }, { version: record.version });
}

/** Publishes what a crash or an unavailable log left in the outboxes of a collection. */
export async function flushOutboxes<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
): Promise<number> {
  let flushed = 0;
  for (const record of await collection.find({ pending: true })) {
    await publishOutbox(deps, collection, record);
    deps.logger.info({ id: record.id, events: record.outbox.length }, 'published pending events');
    flushed++;
  }
  return flushed;
}
