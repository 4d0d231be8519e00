import { PdxError } from '@pdx/contracts';
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
  /**
   * Until when (ms, on the injected clock) the outbox is being published by whoever claimed
   * it: the writer of the change, or a flusher. Flushers leave a claimed outbox alone until
   * then, so an event is not published a second time while its first publication is still
   * in flight. Absent when nobody holds a claim.
   */
  claimedUntilMs?: number;
}

export type Unversioned<T extends OutboxRecord> = Omit<
  T,
  'version' | 'outbox' | 'pending' | 'claimedUntilMs'
>;

export interface OutboxDeps<E = unknown> {
  bus: OutboxPublisher<E>;
  logger: {
    info(fields: object, message: string): void;
    warn?(fields: object, message: string): void;
  };
  /**
   * The injected clock. With it, the writer of a change claims its outbox until
   * `now + outboxLeaseMs` and flushers take only unclaimed or expired outboxes; without it
   * there are no claims (a flusher may publish what a writer is still publishing).
   */
  clock?: { now(): number };
  /** How long a claim lasts; longer than a publication can take. Default 60 s. */
  outboxLeaseMs?: number;
  /**
   * How long to wait for the log's acknowledgement before answering OutboxPendingError; the
   * publication goes on in the background and settles the outbox when it ends (cleared if it
   * landed, released to the flushers if not). Default: wait as long as the log takes.
   */
  publishTimeoutMs?: number;
}

export type CommitResult = 'committed' | 'stale';

export const DEFAULT_OUTBOX_LEASE_MS = 60_000;

/**
 * A change is recorded but the log did not acknowledge its events (it failed, or not within
 * publishTimeoutMs): they stay in the record's outbox and are published later. Retriable, so
 * a consumer holds the event that caused the change instead of dead-lettering it; over HTTP
 * it is a 503 whose detail says the change is kept.
 */
export class OutboxPendingError extends PdxError {
  declare readonly code: 'PDX_EVENT_LOG_UNAVAILABLE';
  /** `publicDetail`: what a client is told (the root error handler answers it), no driver text in it. */
  constructor(message: string, options?: { cause?: unknown; publicDetail?: string }) {
    super('PDX_EVENT_LOG_UNAVAILABLE', message, {
      cause: options?.cause,
      publicDetail: options?.publicDetail ?? message,
    });
  }
}

/**
 * Writes a change and its events together, then publishes them (the transactional outbox
 * pattern on a single document). The record, with the events appended to whatever its
 * outbox still holds, is compare-and-set on `version`: of two concurrent changes one wins and
 * the other is told to re-read ('stale'). The same write claims the outbox for this writer
 * (see OutboxRecord.claimedUntilMs). Then the whole outbox is published, in order, and
 * cleared. If the log does not acknowledge, OutboxPendingError is thrown (the caller answers
 * 503) and the change stays recorded with its events pending: the periodic flusher publishes
 * them when the log is back. Nothing is undone, because a send the log did not acknowledge
 * may still have landed; event ids are deterministic, so a second publication is a duplicate
 * that consumers drop.
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
  const staged = { ...withoutClaim(after as T), version, outbox, pending: outbox.length > 0 } as T;
  if (deps.clock && staged.pending) staged.claimedUntilMs = deps.clock.now() + leaseOf(deps);
  if (before) {
    if (!(await collection.replaceIf(staged, { version: before.version }))) return 'stale';
  } else if ((await collection.insert(staged)) === 'exists') {
    return 'stale';
  }
  await publish(deps, collection, staged, true);
  return 'committed';
}

/**
 * Publishes a record's pending events and clears them (if the record has not changed
 * meanwhile; a newer version carries them on and publishes them itself). Rejects when the
 * log does not acknowledge. A record with nothing pending resolves at once. This publishes
 * whatever the claims say: it is how a repeated request makes sure its change is in the log.
 */
export async function publishOutbox<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  record: T,
): Promise<void> {
  await publish(deps, collection, record, false);
}

/**
 * Publishes what a crash or an unavailable log left in the outboxes of a collection. With a
 * clock, only outboxes nobody has claimed or whose claim has expired, each claimed first by
 * compare-and-set (of two flushers, one gets it); an outbox its writer is still publishing
 * is left to the writer.
 */
export async function flushOutboxes<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
): Promise<number> {
  let flushed = 0;
  for (const found of await collection.find({ pending: true })) {
    if (await flushOutbox(deps, collection, found)) flushed++;
  }
  return flushed;
}

/**
 * Publishes one record's pending events as a flusher does (see flushOutboxes): unless
 * another writer or flusher holds its claim. A consumer that finds nothing new to decide
 * calls it before it counts its event as handled, so that what an earlier attempt recorded
 * is in the log by then. Resolves true when it published, false when there was nothing to
 * publish or someone else holds it; rejects when the log does not acknowledge.
 */
export async function flushOutbox<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  found: T,
): Promise<boolean> {
  if (!found.pending || found.outbox.length === 0) return false;
  let record = found;
  if (deps.clock) {
    const now = deps.clock.now();
    if (record.claimedUntilMs !== undefined && record.claimedUntilMs > now) return false;
    const claimed = { ...record, claimedUntilMs: now + leaseOf(deps) };
    const expected = { version: record.version, claimedUntilMs: record.claimedUntilMs ?? null };
    if (!(await collection.replaceIf(claimed, expected))) return false;
    record = claimed;
  }
  await publish(deps, collection, record, deps.clock !== undefined);
  deps.logger.info({ id: record.id, events: record.outbox.length }, 'published pending events');
  return true;
}

/**
 * Publishes the outbox and settles it: cleared when the log acknowledged; when it did not
 * and this caller holds the claim, the claim is released so that the next flush takes it.
 * A publication still in flight when publishTimeoutMs runs out keeps its claim until it
 * ends, so a flusher does not send the same events alongside it.
 */
async function publish<T extends OutboxRecord<E>, E>(
  deps: OutboxDeps<E>,
  collection: Collection<T>,
  record: T,
  claimed: boolean,
): Promise<void> {
  if (!record.pending || record.outbox.length === 0) return;
  const sending = deps.bus.publish(record.outbox);
  const settle = async (landed: boolean) => {
    if (landed) {
      await collection.replaceIf({ ...withoutClaim(record), outbox: [], pending: false } as T, {
        version: record.version,
      });
    } else if (claimed) {
      await collection.replaceIf(withoutClaim(record), {
        version: record.version,
        claimedUntilMs: record.claimedUntilMs ?? null,
      });
    }
  };
  const outcome = await within(sending, deps.publishTimeoutMs);
  if (outcome.kind === 'acknowledged') return settle(true);
  if (outcome.kind === 'failed') {
    // Best effort: a claim that cannot be released (the database is down too) expires.
    await settle(false).catch(() => {});
    // A refusal that another attempt cannot change (the log refused the message for its
    // size) is the caller's to see; anything else means the log may take the events later.
    if (outcome.error instanceof PdxError && !outcome.error.retriable) throw outcome.error;
    throw new OutboxPendingError(
      `the event log did not acknowledge (${describe(outcome.error)}): the change is recorded and its events are published when the log is back; retrying the same request is safe`,
      {
        cause: outcome.error,
        publicDetail:
          'the event log did not acknowledge: the change is recorded and its events are published when the log is back; retrying the same request is safe',
      },
    );
  }
  sending
    .then(
      () => settle(true),
      () => settle(false),
    )
    .catch((error: unknown) =>
      deps.logger.warn?.({ err: error, id: record.id }, 'could not settle an outbox after its publication'),
    );
  throw new OutboxPendingError(
    `the event log did not acknowledge within ${deps.publishTimeoutMs} ms: the change is recorded and its events are published when the log is back; retrying the same request is safe`,
  );
}

type Outcome = { kind: 'acknowledged' } | { kind: 'failed'; error: unknown } | { kind: 'timed-out' };

function within(sending: Promise<void>, timeoutMs: number | undefined): Promise<Outcome> {
  const settled = sending.then(
    (): Outcome => ({ kind: 'acknowledged' }),
    (error: unknown): Outcome => ({ kind: 'failed', error }),
  );
  if (timeoutMs === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), timeoutMs);
  });
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

function withoutClaim<T extends OutboxRecord>(record: T): T {
  const { claimedUntilMs: _, ...rest } = record;
  return rest as T;
}

function leaseOf(deps: OutboxDeps<unknown>): number {
  return deps.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
