import { type DeclarationView, declarationKey, type EventOnTopic, type KeyState } from '@pdx/contracts';
import type { Collection } from '@pdx/store';
import { verificationNow } from './declaration-verification.js';

export type DeclarationEvent = EventOnTopic<'pdx.declarations'>;

export interface DeclarationDoc extends DeclarationView {
  /** `<issuer>~<declarationId>` */
  id: string;
}

export const declarationDocs = { name: 'declarations', indexes: [{ fields: ['issuer'] }] } as const;

/**
 * Keeps the declaration as submitted (original JWS included) and marks the one it
 * supersedes. Idempotent: replaying the event writes the same two documents.
 */
export async function applyDeclarationEvent(
  docs: Collection<DeclarationDoc>,
  event: DeclarationEvent,
): Promise<void> {
  const d = event.data;
  const id = declarationKey(d.issuer, d.declarationId);
  const existing = await docs.get(id);
  const doc: DeclarationDoc = {
    id,
    declarationId: d.declarationId,
    issuer: d.issuer,
    recipients: d.recipients,
    jws: d.jws,
    declaration: d.declaration,
    contentHash: d.contentHash,
    submittedAt: d.submittedAt,
    verification: d.verification,
    state: existing?.supersededBy ? 'superseded' : 'current',
    ...(existing?.supersededBy ? { supersededBy: existing.supersededBy } : {}),
    ...(d.supersedes !== undefined ? { supersedes: d.supersedes } : {}),
  };
  await docs.put(doc);
  if (d.supersedes !== undefined) {
    const old = await docs.get(declarationKey(d.issuer, d.supersedes));
    if (old) await docs.put({ ...old, state: 'superseded', supersededBy: d.declarationId });
  }
}

/** The declaration as served: its verification report as it stands with the issuer's keys now. */
export function toDeclarationView(
  doc: DeclarationDoc,
  issuerKeys: readonly KeyState[] | undefined,
): DeclarationView {
  const { id: _id, ...view } = doc;
  return { ...view, verification: verificationNow(doc, issuerKeys) };
}
