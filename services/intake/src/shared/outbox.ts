import type { EventPublisher } from '@pdx/bus';
import type { PdxEvent } from '@pdx/contracts';
import type { Logger } from '@pdx/runtime';
import type { Collection } from '@pdx/store';

/** A record that carries the events of its last change until the log acknowledged them. */
export interface OutboxRecord {
  id: string;
  /** Incremented by every change; changes are compare-and-set on it. */
  version: number;
  /** Events of the last change that the log has not acknowledged yet (a transactional outbox). */
  outbox: PdxEvent[];
  /** outbox.length > 0, as an indexable field for recovery. */
  pending: boolean;
}

export type Unversioned<T extends OutboxRecord> = Omit<T, 'version' | 'outbox' | 'pending'>;

export interface OutboxDeps {
  bus: EventPublisher;
  logger: Logger;
}

export type CommitResult = 'committed' | 'stale';

/**
 * Writes a change and its events together, then publishes them: the record (with the events
 * in its outbox) is compare-and-set on `version`, so of two concurrent changes one wins and
 * the other is told to re-read ('stale'). If the log refuses the events, the change is undone
 * and the error thrown: the caller answers 503 and nothing changed. A crash in between leaves
 * the events in the outbox, which `flushOutboxes` publishes on the next start; event ids are
 * deterministic, so a second publication is a duplicate that consumers drop.
 */
export async function commitChange<T extends OutboxRecord>(
  deps: OutboxDeps,
  collection: Collection<T>,
  before: T | undefined,
  after: Unversioned<T>,
  events: PdxEvent[],
): Promise<CommitResult> {
  const version = (before?.version ?? 0) + 1;
  const staged = { ...after, version, outbox: events, pending: events.length > 0 } as T;
  if (before) {
    if (!(await collection.replaceIf(staged, { version: before.version }))) return 'stale';
  } else if ((await collection.insert(staged)) === 'exists') {
    return 'stale';
  }
  try {
    await deps.bus.publish(events);
  } catch (error) {
    await undo(deps, collection, before, staged);
    throw error;
  }
  await collection.replaceIf({ ...staged, outbox: [], pending: false }, { version });
  return 'committed';
}

async function undo<T extends OutboxRecord>(
  deps: OutboxDeps,
  collection: Collection<T>,
  before: T | undefined,
  staged: T,
): Promise<void> {
  try {
    if (before)
      await collection.replaceIf({ ...before, version: staged.version + 1 }, { version: staged.version });
    else if ((await collection.get(staged.id))?.version === staged.version)
      await collection.delete(staged.id);
  } catch (error) {
    // The outbox still holds the events: the next start publishes them.
    deps.logger.error({ err: error, id: staged.id }, 'could not undo a change the log refused');
  }
}

/** Publishes what a crash left in the outboxes of a collection. */
export async function flushOutboxes<T extends OutboxRecord>(
  deps: OutboxDeps,
  collection: Collection<T>,
): Promise<number> {
  let flushed = 0;
  for (const record of await collection.find({ pending: true })) {
    await deps.bus.publish(record.outbox);
    await collection.replaceIf({ ...record, outbox: [], pending: false }, { version: record.version });
    deps.logger.info(
      { id: record.id, events: record.outbox.map((e) => e.id) },
      'published events left by a crash',
    );
    flushed++;
  }
  return flushed;
}
