import type { EventPublisher } from '@pdx/bus';
import type { PdxEvent } from '@pdx/contracts';
import type { Logger } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { PartyRecord } from './party-record.js';

export interface OutboxDeps {
  parties: Collection<PartyRecord>;
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
export async function commitChange(
  deps: OutboxDeps,
  before: PartyRecord | undefined,
  after: Omit<PartyRecord, 'version' | 'outbox' | 'pending'>,
  events: PdxEvent[],
): Promise<CommitResult> {
  const version = (before?.version ?? 0) + 1;
  const staged: PartyRecord = { ...after, version, outbox: events, pending: events.length > 0 };
  if (before) {
    if (!(await deps.parties.replaceIf(staged, { version: before.version }))) return 'stale';
  } else if ((await deps.parties.insert(staged)) === 'exists') {
    return 'stale';
  }
  try {
    await deps.bus.publish(events);
  } catch (error) {
    await undo(deps, before, staged);
    throw error;
  }
  await deps.parties.replaceIf({ ...staged, outbox: [], pending: false }, { version });
  return 'committed';
}

async function undo(deps: OutboxDeps, before: PartyRecord | undefined, staged: PartyRecord): Promise<void> {
  try {
    if (before)
      await deps.parties.replaceIf({ ...before, version: staged.version + 1 }, { version: staged.version });
    else if ((await deps.parties.get(staged.id))?.version === staged.version)
      await deps.parties.delete(staged.id);
  } catch (error) {
    // The outbox still holds the events: the next start publishes them.
    deps.logger.error({ err: error, partyId: staged.id }, 'could not undo a change the log refused');
  }
}

/** Publishes what a crash left in outboxes. */
export async function flushOutboxes(deps: OutboxDeps): Promise<number> {
  let flushed = 0;
  for (const record of await deps.parties.find({ pending: true })) {
    await deps.bus.publish(record.outbox);
    await deps.parties.replaceIf({ ...record, outbox: [], pending: false }, { version: record.version });
    deps.logger.info(
      { partyId: record.id, events: record.outbox.map((e) => e.id) },
      'published events left by a crash',
    );
    flushed++;
  }
  return flushed;
}
