import { type Collection, DEFAULT_CHANGE_ATTEMPTS, type Doc, type Filter, StoreError } from '@pdx/store';

/**
 * What a pure decider answers about a record that no event follows from (an alert's inbox
 * state, a webhook delivery): its next content, nothing to change (the record as it stands),
 * or a refusal (the error the caller is answered with; nothing is written).
 */
export type RecordDecision<T> =
  | { kind: 'change'; next: T }
  | { kind: 'unchanged'; record: T }
  | { kind: 'refused'; error: Error };

/**
 * handleChange for records without an outbox: read the record, ask the pure decider, write
 * the change by compare-and-set on what `expected` says of the record as read, and start over
 * when a concurrent change won, a bounded number of times (then PDX_CHANGE_CONTENDED,
 * retriable). A refusal is thrown as decided. Resolves to the record as it now stands.
 */
export async function changeRecord<T extends Doc>(
  collection: Collection<T>,
  id: string,
  decide: (current: T | undefined) => RecordDecision<T>,
  expected: (current: T) => Filter,
  attempts = DEFAULT_CHANGE_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await collection.get(id);
    const decision = decide(current);
    if (decision.kind === 'refused') throw decision.error;
    if (decision.kind === 'unchanged') return decision.record;
    if (current === undefined) {
      if ((await collection.insert(decision.next)) === 'inserted') return decision.next;
    } else if (await collection.replaceIf(decision.next, expected(current))) {
      return decision.next;
    }
  }
  throw new StoreError(
    'PDX_CHANGE_CONTENDED',
    `the record ${id} changed under ${attempts} concurrent writes in a row; the request changed nothing and may be sent again`,
  );
}
