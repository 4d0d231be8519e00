import { type ErrorCode, PdxError, type PdxEvent, relationshipId } from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import {
  type Collection,
  commitChange,
  type OutboxRecord,
  publishOutbox,
  type Unversioned,
} from '@pdx/store';
import type { DeclarationDeps } from '../declarations/submit-declaration.js';

/**
 * The caller is a registered buyer and `partnerId` accepted its business relationship:
 * the condition for recording anything about a partner (reviews, incidents).
 */
export async function requireLinkedBuyer(
  deps: DeclarationDeps,
  caller: Principal,
  partnerId: string,
  what: string,
): Promise<string> {
  if (caller.kind !== 'party') throw new PdxError('PDX_ROLE_REQUIRED', `${what} are recorded by a buyer`);
  const buyer = await deps.parties.get(caller.id);
  if (!buyer?.registration.roles.includes('buyer')) {
    throw new PdxError('PDX_ROLE_REQUIRED', `${caller.id} is not registered with the role buyer`);
  }
  if ((await deps.relationships.get(relationshipId(caller.id, partnerId)))?.state !== 'accepted') {
    throw new PdxError(
      'PDX_PARTNER_NOT_LINKED',
      `${partnerId} has not accepted a business relationship with you`,
      { pointer: '/partnerId' },
    );
  }
  return caller.id;
}

/**
 * Keeps a buyer's record once, never overwriting it: the same id with the same content is
 * idempotent (its event is published again if still pending), with other content a
 * conflict. The record and its event are committed together through the outbox.
 */
export async function keepRecord<D extends OutboxRecord<PdxEvent>, V extends { contentHash: string }>(
  deps: DeclarationDeps,
  records: Collection<D>,
  id: string,
  hash: string,
  viewOf: (doc: D) => V,
  conflict: { code: ErrorCode; detail: string; pointer: string },
  create: () => { doc: Unversioned<D>; event: PdxEvent },
): Promise<{ kind: 'created' | 'unchanged'; view: V }> {
  for (;;) {
    const existing = await records.get(id);
    if (existing) {
      if (viewOf(existing).contentHash !== hash) {
        throw new PdxError(conflict.code, conflict.detail, { pointer: conflict.pointer });
      }
      await publishOutbox(deps, records, existing);
      return { kind: 'unchanged', view: viewOf(existing) };
    }
    const { doc, event } = create();
    if ((await commitChange(deps, records, undefined, doc, [event])) === 'committed') {
      return { kind: 'created', view: viewOf(doc as D) };
    }
  }
}
