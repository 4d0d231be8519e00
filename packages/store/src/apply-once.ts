import type { Collection } from './document-store.js';

/** Event ids this service has applied; the unique id makes a second application visible. */
export interface AppliedEvent {
  id: string;
  type: string;
  subject: string;
  appliedAt: string;
}

export const appliedEvents = { name: 'applied_events', indexes: [{ fields: ['subject'] }] } as const;

/**
 * Applies an event at most once in effect. Without multi-document transactions (FerretDB
 * has none), the order is: skip if already applied; apply (every projection's apply is
 * idempotent: the same event yields the same documents); then record the event id. A crash
 * between the last two only means the same writes are repeated on redelivery.
 */
export async function applyOnce(
  applied: Collection<AppliedEvent>,
  event: { id: string; type: string; subject: string },
  now: string,
  apply: () => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  if (await applied.get(event.id)) return 'duplicate';
  await apply();
  const inserted = await applied.insert({
    id: event.id,
    type: event.type,
    subject: event.subject,
    appliedAt: now,
  });
  return inserted === 'inserted' ? 'applied' : 'duplicate';
}
