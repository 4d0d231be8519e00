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
 * Pure: the declaration as submitted (original JWS included). One already marked superseded
 * (its successor seen first, or this event seen again) stays superseded.
 */
export function evolveDeclaration(
  current: DeclarationDoc | undefined,
  event: DeclarationEvent,
): DeclarationDoc {
  const d = event.data;
  return {
    id: declarationKey(d.issuer, d.declarationId),
    declarationId: d.declarationId,
    issuer: d.issuer,
    recipients: d.recipients,
    jws: d.jws,
    declaration: d.declaration,
    contentHash: d.contentHash,
    submittedAt: d.submittedAt,
    verification: d.verification,
    state: current?.supersededBy ? 'superseded' : 'current',
    ...(current?.supersededBy ? { supersededBy: current.supersededBy } : {}),
    ...(d.supersedes !== undefined ? { supersedes: d.supersedes } : {}),
  };
}

/** Pure: the declaration a submitted one supersedes, marked so. */
export function supersededBy(old: DeclarationDoc, event: DeclarationEvent): DeclarationDoc {
  return { ...old, state: 'superseded', supersededBy: event.data.declarationId };
}

/**
 * Keeps the declaration and marks the one it supersedes. Idempotent: replaying the event
 * writes the same two documents.
 */
export async function applyDeclarationEvent(
  docs: Collection<DeclarationDoc>,
  event: DeclarationEvent,
): Promise<void> {
  const d = event.data;
  await docs.put(evolveDeclaration(await docs.get(declarationKey(d.issuer, d.declarationId)), event));
  if (d.supersedes !== undefined) {
    const old = await docs.get(declarationKey(d.issuer, d.supersedes));
    if (old) await docs.put(supersededBy(old, event));
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
